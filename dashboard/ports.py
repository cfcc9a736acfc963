"""What the dashboard needs from the process around it, without knowing Discord.

The bot process provides it (cogs/runtime/api_side.py, the same object the HTTP API uses):
members' roles from the bot's view of each server, and nudges so that what a page changed
shows on Discord at once. The Discord work itself is queued in the database by the writes
(core/events.py, core/discord_jobs.py), so a nudge lost is only a delay.
"""

from __future__ import annotations

from typing import Protocol

from core.members import MemberFacts


class DashboardSide(Protocol):
    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        """The member's roles, or None if they are not in that server (or the desk does
        not serve it). `verified` False: nobody here can ask Discord."""

    def work_queued(self) -> None:
        """Discord work (a reply to post, a close to finish...) was queued."""
