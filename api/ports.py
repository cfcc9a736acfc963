"""What the HTTP front end needs from the Discord side, without knowing Discord.

In the bot process, `cogs/runtime/api_side.py` implements it: Discord work happens at once
and members are looked up on Discord. In a process of its own (`python -m api`) there is
nobody to wake (the bot process finds the work in the database on its next poll) and no
way to look members up.
"""

from __future__ import annotations

from typing import Protocol

from core.members import MemberFacts
from dashboard.ports import DashboardSide

__all__ = ["DiscordSide", "MemberFacts", "NoDiscordSide"]


class DiscordSide(DashboardSide, Protocol):
    """What the dashboard needs (members, nudges for queued work), and a ticket to open."""

    def ticket_waiting(self) -> None:
        """A ticket was opened and waits for its Discord thread."""


class NoDiscordSide:
    """A separate API process: the bot process polls the database instead, and members
    can't be looked up (they are taken at their word, with no roles)."""

    def ticket_waiting(self) -> None:
        return None

    def work_queued(self) -> None:
        return None

    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        return MemberFacts(verified=False)
