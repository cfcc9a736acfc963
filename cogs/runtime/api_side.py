"""The Discord side of the HTTP API when it runs inside the bot process.

The API knows no Discord (api/ports.py `DiscordSide`); here its nudges become bot events,
so the cogs that do the work (the thread opener, the Discord jobs) act at once instead of
on their next poll, and members are looked up on Discord. Events keep this module from
importing the feature packages.
"""

from __future__ import annotations

import logging
import time

import discord

from api.ports import MemberFacts

log = logging.getLogger(__name__)

# Event names (discord.py adds the `on_` prefix for listeners).
TICKET_WAITING = "ticket_waiting"
WORK_QUEUED = "work_queued"
# Without the Members intent a member is fetched over REST, and discord.py's member cache
# is not kept current (no member updates arrive), so it is not trusted for roles. A burst
# of calls for one member (a dashboard page and its form posts) asks Discord once every
# few seconds at most; a role taken away stops counting within that.
MEMBER_TTL = 5.0
MEMBERS_KEPT = 1000


class BotDiscordSide:
    def __init__(self, bot: discord.Client) -> None:
        self._bot = bot
        self._members: dict[tuple[int, int], tuple[float, MemberFacts | None]] = {}

    def ticket_waiting(self) -> None:
        self._bot.dispatch(TICKET_WAITING)

    def work_queued(self) -> None:
        self._bot.dispatch(WORK_QUEUED)

    async def member(self, guild_id: int, user_id: int) -> MemberFacts | None:
        guild = self._bot.get_guild(guild_id)
        if guild is None:
            return None
        key = (guild_id, user_id)
        kept = self._members.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        facts = await self._fetch(guild, user_id)
        if facts is None or facts.verified:
            if len(self._members) >= MEMBERS_KEPT:
                self._members.clear()
            self._members[key] = (time.monotonic() + MEMBER_TTL, facts)
        return facts

    async def _fetch(self, guild: discord.Guild, user_id: int) -> MemberFacts | None:
        try:
            member = await guild.fetch_member(user_id)
        except discord.NotFound:
            return None
        except discord.HTTPException as error:
            # Discord can't say right now: take the member at their word, without roles.
            log.warning("could not look up member %s of %s: %s", user_id, guild.id, error)
            return MemberFacts(verified=False)
        return _facts(member)


def _facts(member: discord.Member) -> MemberFacts:
    return MemberFacts(
        role_ids=frozenset(role.id for role in member.roles),
        server_permissions=frozenset(name for name, on in member.guild_permissions if on),
    )
