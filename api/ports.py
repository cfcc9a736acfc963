"""What the HTTP front end needs from the Discord side, without knowing Discord.

In the bot process, `cogs/runtime/api_side.py` implements it and the Discord work happens
at once; in a process of its own (`python -m api`) there is nobody to wake and the bot
process finds the work in the database on its next poll.
"""

from __future__ import annotations

from typing import Protocol

from core.members import MemberStanding
from dashboard.ports import DashboardSide


class DiscordSide(DashboardSide, Protocol):
    def ticket_waiting(self) -> None:
        """A ticket was opened and waits for its Discord thread."""

    def outbox_written(self) -> None:
        """Work for Discord (a reply to post in a thread) or a webhook delivery was queued."""


class NoDiscordSide:
    """A separate API process: the bot process polls the database instead.

    It cannot see members' roles, so nobody can use the dashboard through it (the
    dashboard says so); run the API inside the bot process for the dashboard.
    """

    async def member_roles(self, guild_id: int, user_id: int) -> MemberStanding | None:
        return None

    def reply_stored(self, guild_id: int, ticket_id: int, reply_id: int) -> None:
        return None

    def ticket_changed(self, guild_id: int, ticket_id: int, actor_id: int, change: str) -> None:
        return None

    def submission_reviewed(self, guild_id: int, submission_id: int, reviewer_id: int) -> None:
        return None

    def ticket_waiting(self) -> None:
        return None

    def outbox_written(self) -> None:
        return None
