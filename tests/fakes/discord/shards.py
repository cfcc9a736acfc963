"""Gateway sharding, as Discord does it.

A bot's sessions each IDENTIFY as one shard (`"shard": [id, count]`, default [0, 1]).
A guild lives on shard `(guild_id >> 22) % count`: READY lists only that shard's guilds,
GUILD_CREATE and every event of a guild (INTERACTION_CREATE in it, MESSAGE_CREATE,
THREAD_*, CHANNEL_*, roles, members) go only to the session of its shard, and what
belongs to no guild (DMs, interactions in DMs) goes to shard 0. `GET /gateway/bot`
recommends a shard count and tells the identify budget: `max_concurrency` identifies per
5 seconds, one per bucket `shard_id % max_concurrency`.

Written from Discord's documentation, not from the bot's code (core/shards.py), so the
two can disagree if the bot gets it wrong.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .driver import Desk, Person
    from .state import DiscordState, Guild
    from .views import Msg, Reply

Payload = dict[str, Any]
Shard = tuple[int, int]  # (shard id, shard count)

INVALID_SHARD = 4010
IDENTIFY_WINDOW = 5.0  # Discord: max_concurrency identifies per bucket per 5 seconds
# Events named after the guild itself carry its id as `id`; all others as `guild_id`.
_GUILD_ITSELF = {"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"}


@dataclass
class Sharding:
    """What Discord tells this application about sharding, and what it enforces."""

    recommended_shards: int = 1  # GET /gateway/bot `shards`
    max_concurrency: int = 1  # identifies per bucket per IDENTIFY_WINDOW
    # Off (0) unless a test turns it on: a restart within the window is a violation.
    identify_window: float = 0.0
    identifies: list[tuple[float, Shard]] = field(default_factory=list)

    def bucket(self, shard_id: int) -> int:
        return shard_id % self.max_concurrency

    def note_identify(self, shard: Shard, violations: list[str]) -> None:
        """Record an IDENTIFY; two in one bucket within the window break Discord's limit."""
        now = time.monotonic()
        if self.identify_window > 0:
            for then, earlier in self.identifies:
                same = self.bucket(earlier[0]) == self.bucket(shard[0])
                if same and now - then < self.identify_window:
                    violations.append(
                        f"gateway: shard {list(shard)} IDENTIFYed {now - then:.2f}s after shard "
                        f"{list(earlier)} in the same max_concurrency bucket "
                        f"({self.max_concurrency} per {self.identify_window:g}s)"
                    )
                    break
        self.identifies.append((now, shard))


def shard_of(guild_id: int, count: int) -> int:
    return (guild_id >> 22) % count


def identify_shard(data: Payload) -> Shard | None:
    """The shard an IDENTIFY asks for; None when Discord would refuse it (close 4010)."""
    raw = data.get("shard")
    if raw is None:
        return (0, 1)
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(n, int) for n in raw)):
        return None
    shard_id, count = raw
    if count < 1 or not 0 <= shard_id < count:
        return None
    return (shard_id, count)


def guilds_of(shard: Shard, guild_ids: list[int]) -> list[int]:
    shard_id, count = shard
    return [guild_id for guild_id in guild_ids if shard_of(guild_id, count) == shard_id]


def guild_of_event(event: str, data: Payload) -> int | None:
    """The guild an event belongs to; None for DMs and anything outside a guild."""
    raw = data.get("id") if event in _GUILD_ITSELF else data.get("guild_id")
    return int(raw) if raw else None


def routed_to(shard: Shard, event: str, data: Payload) -> bool:
    """Whether the session of `shard` receives this event."""
    shard_id, count = shard
    guild_id = guild_of_event(event, data)
    if guild_id is None:
        return shard_id == 0  # DMs and the like: shard 0 only
    return shard_of(guild_id, count) == shard_id


def gateway_bot(state: DiscordState) -> Payload:
    """GET /gateway/bot: where to connect, how many shards, the identify budget."""
    sharding = state.sharding
    used = len(sharding.identifies)
    limit = {
        "total": 1000,
        "remaining": max(1000 - used, 0),
        "reset_after": 86_400_000,
        "max_concurrency": sharding.max_concurrency,
    }
    url = state.base_url.replace("http://", "ws://") + "/gateway"
    return {"url": url, "shards": sharding.recommended_shards, "session_start_limit": limit}


# -- arranging servers on shards (tests) ------------------------------------------------


def build_guild_on_shard(state: DiscordState, shard: Shard, name: str) -> Guild:
    """A server (the standard layout) whose id falls on `shard`.

    The shard is the timestamp part of the id, so the fake's id counter is moved a few
    milliseconds ahead to the next timestamp on that shard; ids keep growing.
    """
    shard_id, count = shard
    ids = state.ids
    stamp = (ids.next() >> 22) + 20  # room for the ids made before the guild's own
    while shard_of(stamp << 22, count) != shard_id:
        stamp += 1
    ids._last = max(ids._last, stamp << 22)  # the counter hands out ids after this one
    guild = state.build_guild(name)
    if shard_of(guild.id, count) != shard_id:  # the clock ran past the stamp meanwhile
        raise AssertionError(f"guild {guild.id} landed on the wrong shard; try again")
    return guild


def join_guild_on_shard(desk: Desk, shard: Shard, name: str = "Second Server") -> Guild:
    """The bot is added to a server on `shard` (GUILD_CREATE to that shard's session)."""
    guild = build_guild_on_shard(desk.state, shard, name)
    desk.state.bot_guild_ids.append(guild.id)
    payload = guild.payload()
    payload.pop("unavailable", None)  # a join, not a guild coming back online
    desk.state.dispatch("GUILD_CREATE", payload)
    desk.state.notify()
    return guild


# -- a member clicking in a DM ------------------------------------------------------------


def dm_component_payload(state: DiscordState, user_id: int, message: Msg, data: Payload) -> Payload:
    """A click on a button of the bot's DM, as Discord sends it: no guild, a `user`."""
    channel = state.channels[message.channel_id]
    return {
        "id": str(state.ids.next()),
        "application_id": str(state.application_id),
        "type": 3,
        "token": "itok_" + secrets.token_urlsafe(48),
        "version": 1,
        "channel_id": channel["id"],
        "channel": channel,
        "user": state.users[user_id],
        "app_permissions": "0",
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": "0"},
        "context": 1,  # BOT_DM
        "attachment_size_limit": 10 * 1024 * 1024,
        "data": data,
        "message": message.raw,
    }


async def click_in_dm(person: Person, message: Msg, label: str) -> Reply:
    """`person` clicks the button labelled `label` on the bot's DM `message`."""
    for row in message.components:
        for button in row.get("components", []):
            if button.get("type") == 2 and label in (button.get("label"), button.get("custom_id")):
                data = {"custom_id": button["custom_id"], "component_type": 2}
                state = person.desk.state
                payload = dm_component_payload(state, person.id, message, data)
                return await person.desk.send_interaction(payload)
    raise AssertionError(f"no button {label!r} on {message!r}")


def sessions_that_got(desk: Desk, event: str, match: dict[str, Any]) -> list[Shard]:
    """The shards whose sessions were sent `event` with these top-level values."""
    found = []
    for session in desk.fake.gateway.sessions.values():
        for frame in session.backlog:
            data = frame.get("d") or {}
            if frame.get("t") == event and all(data.get(k) == v for k, v in match.items()):
                found.append(session.shard)
                break
    return sorted(found)
