"""In-memory Discord world: guilds, channels, threads, members, messages, interactions.

Everything is stored as the JSON payloads Discord would send, so the REST routes and the
gateway hand out the same dicts, and tests can inspect exactly what the bot produced.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import permissions
from .application import Application
from .ids import Snowflakes, iso_now
from .shards import Sharding

Payload = dict[str, Any]

TEXT, DM, PUBLIC_THREAD, PRIVATE_THREAD = 0, 1, 11, 12
THREAD_TYPES = (10, PUBLIC_THREAD, PRIVATE_THREAD)
EPHEMERAL, LOADING = 1 << 6, 1 << 7

MEMBER_PERMS = (
    "view_channel",
    "send_messages",
    "read_message_history",
    "send_messages_in_threads",
    "use_application_commands",
    "create_public_threads",
    "add_reactions",
    "embed_links",
    "attach_files",
)
BOT_PERMS = (
    *MEMBER_PERMS,
    "manage_threads",
    "create_private_threads",
    "manage_roles",
    "manage_messages",
    "mention_everyone",
)


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Payload] = field(default_factory=dict)
    channels: dict[int, Payload] = field(default_factory=dict)  # text channels and threads
    members: dict[int, Payload] = field(default_factory=dict)
    preferred_locale: str = "en-US"  # the server's language (Server Settings → Overview)

    def role_named(self, name: str) -> Payload:
        for role in self.roles.values():
            if role["name"] == name:
                return role
        raise KeyError(f"no role named {name!r} in guild {self.name!r}")

    def channel_named(self, name: str) -> Payload:
        for channel in self.channels.values():
            if channel["name"] == name:
                return channel
        raise KeyError(f"no channel named {name!r} in guild {self.name!r}")

    def payload(self) -> Payload:
        """The GUILD_CREATE body (only the keys discord.py reads, plus the usual basics)."""
        return {
            "id": str(self.id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "icon": None,
            "features": [],
            "preferred_locale": self.preferred_locale,
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "joined_at": iso_now(),
            "roles": list(self.roles.values()),
            "channels": [c for c in self.channels.values() if c["type"] not in THREAD_TYPES],
            "threads": [c for c in self.channels.values() if c["type"] in THREAD_TYPES],
            "members": list(self.members.values()),
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "premium_tier": 0,
            "system_channel_flags": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
        }


@dataclass
class Interaction:
    """One interaction the driver sent, and everything the bot answered to it."""

    payload: Payload
    sent_at: float
    callback_type: int | None = None
    callback_data: Payload | None = None
    original_id: int | None = None  # the message @original refers to
    followup_ids: list[int] = field(default_factory=list)
    edits: int = 0  # webhook edits of @original / followups
    opener: Interaction | None = None  # for a modal submit: the interaction that showed it
    errors: list[str] = field(default_factory=list)  # rejected callbacks, e.g. 40060

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def type(self) -> int:
        return int(self.payload["type"])

    @property
    def user_id(self) -> int:
        holder = self.payload.get("member") or self.payload
        return int(holder["user"]["id"])


@dataclass
class Fault:
    status: int
    remaining: int
    retry_after: float = 0.05


class DiscordState:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.ids = Snowflakes()
        self._clock = clock
        self.clock_offset = 0.0
        self.application_id = self.ids.next()
        self.bot_user: Payload = user_payload(self.application_id, "TicketDesk", bot=True)
        self.users: dict[int, Payload] = {self.application_id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.bot_guild_ids: list[int] = []
        self.channels: dict[int, Payload] = {}  # every channel by id, threads and DMs included
        self.thread_members: dict[int, dict[int, Payload]] = {}
        self.messages: dict[int, list[Payload]] = {}  # public messages per channel, oldest first
        self.messages_by_id: dict[int, Payload] = {}  # public and ephemeral
        self.attachments: dict[int, tuple[str, bytes, str]] = {}
        self.interactions: dict[int, Interaction] = {}
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.closed_dms: set[int] = set()
        self.user_locales: dict[
            int, str
        ] = {}  # user id -> their Discord language (en-US if absent)
        self.global_commands: list[Payload] = []
        self.guild_commands: dict[int, list[Payload]] = {}
        self.command_syncs = 0
        self.renames: dict[int, list[float]] = {}
        # Knobs tests may turn: Discord's 3 s callback deadline, the active-thread cap.
        self.interaction_deadline = 3.0
        self.max_active_threads = 1000
        self.request_log: list[Payload] = []
        self.violations: list[str] = []
        self.faults: dict[tuple[str, str], Fault] = {}
        self.base_url = ""  # set by the server, for attachment urls
        self.application = Application()  # the developer-portal settings (token, intents)
        self.sharding = Sharding()  # GET /gateway/bot's answer; identify budget (shards.py)
        # The gateway registers itself here; state changes call it to push events.
        self.dispatch: Callable[[str, Payload], None] = lambda event, data: None
        self._changed = asyncio.Event()

    # -- time and change notification -------------------------------------------------
    def now(self) -> float:
        return self._clock() + self.clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock (interaction deadlines, token expiry, rename limits)."""
        self.clock_offset += seconds

    def notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def changed(self) -> None:
        """Wait for the next change; callers bound it with `asyncio.timeout`."""
        await self._changed.wait()

    # -- lookups ----------------------------------------------------------------------
    def guild_of(self, channel: Payload) -> Guild | None:
        guild_id = channel.get("guild_id")
        return self.guilds.get(int(guild_id)) if guild_id else None

    def bot_permissions(self, channel: Payload) -> int:
        guild = self.guild_of(channel)
        return (
            permissions.compute(guild, self.application_id, channel) if guild else permissions.ALL
        )

    def member_permissions(self, guild: Guild, user_id: int, channel: Payload | None) -> int:
        return permissions.compute(guild, user_id, channel)

    def public_messages(self, channel_id: int) -> list[Payload]:
        return self.messages.get(channel_id, [])

    # -- builders ---------------------------------------------------------------------
    def add_user(self, name: str) -> Payload:
        user = user_payload(self.ids.next(), name)
        self.users[int(user["id"])] = user
        return user

    def add_role(
        self, guild: Guild, name: str, perms: int = 0, *, mentionable: bool = False
    ) -> Payload:
        role_id = guild.id if name == "@everyone" else self.ids.next()
        role = {
            "id": str(role_id),
            "name": name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": len(guild.roles),
            "permissions": str(perms),
            "managed": False,
            "mentionable": mentionable,
            "flags": 0,
        }
        guild.roles[role_id] = role
        return role

    def add_text_channel(self, guild: Guild, name: str) -> Payload:
        channel_id = self.ids.next()
        channel = {
            "id": str(channel_id),
            "type": TEXT,
            "guild_id": str(guild.id),
            "name": name,
            "position": len(guild.channels),
            "permission_overwrites": [],
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }
        guild.channels[channel_id] = channel
        self.channels[channel_id] = channel
        self.messages[channel_id] = []
        return channel

    def add_member(self, guild: Guild, user: Payload, roles: list[int]) -> Payload:
        member = {
            "user": user,
            "nick": None,
            "avatar": None,
            "roles": [str(r) for r in roles],
            "joined_at": iso_now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
        }
        guild.members[int(user["id"])] = member
        return member

    def build_guild(self, name: str = "Help Desk") -> Guild:
        """The standard test server: channels, roles and the five people tests talk about."""
        owner = self.add_user("owner")
        guild = Guild(id=self.ids.next(), name=name, owner_id=int(owner["id"]))
        self.guilds[guild.id] = guild
        self.add_role(guild, "@everyone", permissions.bits(*MEMBER_PERMS))
        staff = self.add_role(guild, "Staff")
        billing = self.add_role(guild, "Billing")
        admin = self.add_role(guild, "Admin", permissions.bits("manage_guild"))
        bot_role = self.add_role(guild, "TicketDesk", permissions.bits(*BOT_PERMS))
        bot_role["managed"] = True
        bot_role["tags"] = {"bot_id": str(self.application_id)}
        for channel_name in ("general", "tickets", "logs", "reviews"):
            self.add_text_channel(guild, channel_name)
        self.add_member(guild, owner, [])
        self.add_member(guild, self.bot_user, [int(bot_role["id"])])
        people = {
            "admin": [int(admin["id"])],
            "staff": [int(staff["id"])],
            "billing": [int(billing["id"])],
            "alice": [],
            "bob": [],
        }
        for person, role_ids in people.items():
            self.add_member(guild, self.add_user(person), role_ids)
        return guild

    def member_named(self, guild: Guild, name: str) -> Payload:
        for member in guild.members.values():
            if member["user"]["username"] == name:
                return member
        raise KeyError(f"no member named {name!r}")

    def attachment_payload(self, filename: str, data: bytes, content_type: str) -> Payload:
        attachment_id = self.ids.next()
        self.attachments[attachment_id] = (filename, data, content_type)
        url = f"{self.base_url}/attachments/{attachment_id}/{filename}"
        return {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }


def user_payload(user_id: int, name: str, *, bot: bool = False) -> Payload:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": None if bot else name.capitalize(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "collectibles": None,
        "primary_guild": None,
    }
