"""What the dashboard needs from the process around it, without knowing Discord.

The bot process provides it (cogs/runtime/dashboard_side.py): members' roles from the
bot's view of each server, and nudges so that what a page changed shows on Discord at once
(a reply in the thread, a close, a triage line, a review's outcome).
"""

from __future__ import annotations

from typing import Protocol

from core.members import MemberStanding


class DashboardSide(Protocol):
    async def member_roles(self, guild_id: int, user_id: int) -> MemberStanding | None:
        """See `core.members.MemberRoles`."""
        ...

    def reply_stored(self, guild_id: int, ticket_id: int, reply_id: int) -> None:
        """A reply was written on the dashboard: post it in the ticket's thread."""

    def ticket_changed(self, guild_id: int, ticket_id: int, actor_id: int, change: str) -> None:
        """A ticket was claimed, triaged, resolved, reopened or closed on the dashboard
        (`change`: "claim", "priority", "department", "resolve", "reopen", "close")."""

    def submission_reviewed(self, guild_id: int, submission_id: int, reviewer_id: int) -> None:
        """A submission was accepted or rejected on the dashboard."""
