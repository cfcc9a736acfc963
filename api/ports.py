"""What the HTTP front end needs from the Discord side, without knowing Discord.

In the bot process, `cogs/runtime/api_side.py` implements it: Discord work happens at once
and members are looked up on Discord. In a process of its own (`python -m api`) there is
nobody to wake (the bot process finds the work in the database on its next poll) and no
way to look members up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class MemberFacts:
    """A member of a server as Discord knows them: their roles and the permissions those
    roles grant server-wide (`core.policy.member_actor` decides staff from these).
    `verified` is False when nobody could ask Discord (a separate API process)."""

    role_ids: frozenset[int] = frozenset()
    server_permissions: frozenset[str] = frozenset()
    verified: bool = True


class DiscordSide(Protocol):
    def ticket_waiting(self) -> None:
        """A ticket was opened and waits for its Discord thread."""

    def work_queued(self) -> None:
        """Discord work (a reply to post, a submission to review, a close to finish) was
        queued in the database."""

    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        """The member, or None if they are not in that server."""


class NoDiscordSide:
    """A separate API process: the bot process polls the database instead, and members
    can't be looked up (they are taken at their word, with no roles)."""

    def ticket_waiting(self) -> None:
        return None

    def work_queued(self) -> None:
        return None

    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        return MemberFacts(verified=False)
