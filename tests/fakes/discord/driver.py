"""The test-facing driver: a Desk (the server as a whole) and Persons who act in it.

alice = desk.member("alice")
reply = await alice.slash("ticket create", subject="Printer", message="On fire")
assert "#1" in reply.text and reply.ephemeral
"""

# A `timeout=` keyword reads better in tests than wrapping every call in asyncio.timeout().
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol, TypeVar

from . import interactions as build
from . import permissions
from .holds import Hold
from .interactions import ClientRefused
from .messages import create_message, edit_message
from .server import FakeDiscord
from .state import PRIVATE_THREAD, THREAD_TYPES, DiscordState, Guild, Interaction, Payload
from .views import (
    Channel,
    Modal,
    Msg,
    Reply,
    answer_settled,
    describe_interaction,
    walk_components,
)

T = TypeVar("T")
ChannelRef = int | str | Payload | Msg | Channel
DEFAULT_TIMEOUT = 10.0
POLL = 0.05  # conditions may depend on the bot's database, which does not notify us


class BotControl(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def kill(self) -> None: ...
    def stderr_tail(self, lines: int = 40) -> str: ...


class Desk:
    def __init__(
        self,
        fake: FakeDiscord,
        bot: BotControl | None = None,
        db_path: Any = None,
        database: Any = None,
    ):
        self.fake = fake
        self.bot = bot
        self.db_path = db_path  # the SQLite file; None when the bot runs on PostgreSQL
        self.database = database  # the E2E tests' look into it (tests/e2e/backends.py)

    # -- the world ------------------------------------------------------------------------
    @property
    def state(self) -> DiscordState:
        return self.fake.state

    @property
    def guild(self) -> Guild:
        return self.fake.guild

    @property
    def guild_id(self) -> int:
        return self.fake.guild.id

    @property
    def bot_id(self) -> int:
        return self.state.application_id

    def member(self, name: str) -> Person:
        member = self.state.member_named(self.guild, name)
        return Person(self, int(member["user"]["id"]), name)

    def channel(self, ref: ChannelRef) -> Channel:
        """A channel or thread by name ("tickets"), id, payload, message or Channel."""
        return Channel(self.channel_payload(ref))

    def channel_payload(self, ref: ChannelRef) -> Payload:
        if isinstance(ref, Channel):
            return ref.raw
        if isinstance(ref, Msg):
            return self.state.channels[ref.channel_id]
        if isinstance(ref, dict):
            return self.state.channels[int(ref["id"])]
        if isinstance(ref, str) and not ref.isdigit():
            return self.guild.channel_named(ref)
        channel = self.state.channels.get(int(ref))
        if channel is None:
            raise KeyError(f"no channel {ref}")
        return channel

    def role(self, name: str) -> Payload:
        return self.guild.role_named(name)

    def threads(self, parent: ChannelRef = "tickets") -> list[Channel]:
        """Threads under `parent`, oldest first."""
        parent_id = self.channel_payload(parent)["id"]
        return [
            Channel(c)
            for c in self.guild.channels.values()
            if c["type"] in THREAD_TYPES and c.get("parent_id") == parent_id
        ]

    def thread_member_ids(self, thread: ChannelRef) -> set[int]:
        return set(self.state.thread_members.get(int(self.channel_payload(thread)["id"]), {}))

    def messages(self, channel: ChannelRef) -> list[Msg]:
        """Public messages in a channel or thread, oldest first (bot's and members')."""
        channel_id = int(self.channel_payload(channel)["id"])
        return [Msg(m, self.state) for m in self.state.public_messages(channel_id)]

    def bot_messages(self, channel: ChannelRef) -> list[Msg]:
        return [m for m in self.messages(channel) if m.by_bot]

    def dms(self, name: str) -> list[Msg]:
        user_id = int(self.state.member_named(self.guild, name)["user"]["id"])
        channel_id = self.state.dm_channels.get(user_id)
        return [Msg(m, self.state) for m in self.state.public_messages(channel_id or 0)]

    def commands(self) -> dict[str, Payload]:
        """Synced slash commands by name (guild commands over global ones)."""
        synced = [*self.state.global_commands, *self.state.guild_commands.get(self.guild_id, [])]
        return {c["name"]: c for c in synced}

    @property
    def violations(self) -> list[str]:
        return self.state.violations

    # -- arranging the world --------------------------------------------------------------
    def deny_bot(self, channel: ChannelRef, *perms: str) -> None:
        """Add a channel overwrite denying the bot e.g. "create_private_threads"."""
        self._overwrite(channel, self.bot_id, 1, deny=permissions.bits(*perms))

    def close_dms(self, name: str) -> None:
        """This member does not accept DMs from server members: sends fail with 50007."""
        self.state.closed_dms.add(self.member(name).id)

    def _overwrite(self, ref: ChannelRef, target: int, kind: int, allow: int = 0, deny: int = 0):
        channel = self.channel_payload(ref)
        others = [o for o in channel["permission_overwrites"] if o["id"] != str(target)]
        entry = {"id": str(target), "type": kind, "allow": str(allow), "deny": str(deny)}
        channel["permission_overwrites"] = [*others, entry]
        self.state.dispatch("CHANNEL_UPDATE", channel)

    def set_roles(self, name: str, *role_names: str) -> None:
        """Change a member's roles as an admin would in the Discord client."""
        member = self.guild.members[self.member(name).id]
        member["roles"] = [self.role(r)["id"] for r in role_names]
        self.state.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": str(self.guild_id), **member})

    def join_guild(self, name: str = "Second Server") -> Guild:
        """The bot is added to another server (GUILD_CREATE), with the standard layout."""
        guild = self.state.build_guild(name)
        self.state.bot_guild_ids.append(guild.id)
        # A join, unlike a guild coming back online, carries no `unavailable` key; that is
        # how discord.py tells on_guild_join from on_guild_available.
        payload = guild.payload()
        payload.pop("unavailable", None)
        self.state.dispatch("GUILD_CREATE", payload)
        self.state.notify()
        return guild

    def leave_guild(self, guild_id: int) -> None:
        """The bot is kicked from a server (GUILD_DELETE without `unavailable`)."""
        self.state.bot_guild_ids.remove(guild_id)
        self.state.dispatch("GUILD_DELETE", {"id": str(guild_id)})
        self.state.notify()

    # -- waiting --------------------------------------------------------------------------
    async def wait_for(
        self, condition: Callable[[], T], timeout: float = 5.0, message: str = ""
    ) -> T:
        """Wait until `condition()` is truthy and return its value."""
        try:
            async with asyncio.timeout(timeout):
                while not (result := condition()):
                    try:
                        async with asyncio.timeout(POLL):
                            await self.state.changed()
                    except TimeoutError:
                        pass
                return result
        except TimeoutError:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {message or condition}" + self._bot_tail()
            ) from None

    async def next_message(
        self,
        channel: ChannelRef,
        containing: str = "",
        *,
        after: int = 0,
        by_bot: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Msg:
        """The first (bot) message in `channel` newer than id `after` whose text has `containing`."""

        def find() -> Msg | None:
            for msg in self.messages(channel):
                if msg.id > after and (msg.by_bot or not by_bot) and containing in msg.text:
                    return msg
            return None

        return await self.wait_for(find, timeout, f"a message containing {containing!r}")

    def _bot_tail(self) -> str:
        return f"\n--- bot stderr (tail) ---\n{self.bot.stderr_tail()}" if self.bot else ""

    # -- the bot process ------------------------------------------------------------------
    async def restart_bot(self) -> None:
        """Stop and start the bot on the same database; returns once it is connected again."""
        assert self.bot is not None, "this desk has no bot process"
        await self.bot.stop()
        await self.bot.start()

    async def crash_bot(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut."""
        assert self.bot is not None
        await self.bot.kill()

    async def start_bot(self) -> None:
        assert self.bot is not None
        await self.bot.start()

    # -- interactions ---------------------------------------------------------------------
    async def send_interaction(
        self,
        payload: Payload,
        timeout: float = DEFAULT_TIMEOUT,
        settle: float = 2.0,
        opener: Interaction | None = None,
    ) -> Reply:
        """Send any INTERACTION_CREATE payload (even one Discord would block) and await the answer."""
        record = build.register(self.state, payload, opener)
        return await self._await_reply(record, timeout, settle)

    async def _await_reply(self, record: Interaction, timeout: float, settle: float) -> Reply:
        def acknowledged() -> bool:
            return record.callback_type is not None

        deadline = self.state.interaction_deadline + 2.0
        try:
            await self.wait_for(acknowledged, max(deadline, 0.1), "the interaction callback")
        except AssertionError:
            detail = describe_interaction(record)
            raise AssertionError(
                f"the bot did not acknowledge the interaction in time: {detail}" + self._bot_tail()
            ) from None
        if record.callback_type == 6:
            # A deferred update may legitimately show nothing new; do not wait the full timeout.
            timeout = settle
        try:
            await self.wait_for(lambda: answer_settled(record, self.state), timeout, "the answer")
        except AssertionError:
            if record.callback_type != 6:
                raise
        return Reply(record, self.state)

    # -- deleting and rate limits (an admin's hand, Discord's throttle) ---------------------
    def delete_channel(self, ref: ChannelRef, *, bot_hears: bool = True) -> None:
        """An admin deletes a thread (THREAD_DELETE) or a channel with its threads
        (CHANNEL_DELETE only); later REST calls on them get 404 Unknown Channel.
        `bot_hears=False`: the bot's session never gets the event (it was offline)."""
        from .deletes import delete_channel

        delete_channel(self.state, self.channel_payload(ref), announce=bot_hears)

    def rate_limit(self, method: str, route: str, *, limit: int, window: float) -> None:
        """Give one route (e.g. "/channels/{channel_id}/messages") a tight bucket."""
        self.fake.rate_limits.limit(method, route, limit, window)

    def hold_route(self, method: str, route: str, seconds: float) -> None:
        """Discord answers every request to `route` with a 429 for `seconds`."""
        self.fake.rate_limits.hold(method, route, seconds)

    def rate_limited(self, route: str = "") -> list[Any]:
        """The 429s the fake answered (to `route` only, if given)."""
        return [h for h in self.fake.rate_limits.hits if not route or h.route == route]

    # -- first-run problems (kept at the end of the class to ease merges) ---------------
    def set_overwrite(
        self,
        channel: ChannelRef,
        target: str,
        *,
        allow: tuple[str, ...] = (),
        deny: tuple[str, ...] = (),
    ) -> None:
        """A channel overwrite as an admin sets it in Edit Channel → Permissions.

        `target` is a role name ("@everyone", "Staff") or a member name ("alice").
        """
        try:
            target_id, kind = int(self.role(target)["id"]), 0
        except KeyError:
            target_id, kind = self.member(target).id, 1
        self._overwrite(
            channel,
            target_id,
            kind,
            allow=permissions.bits(*allow) if allow else 0,
            deny=permissions.bits(*deny) if deny else 0,
        )

    def set_server_locale(self, locale: str) -> None:
        """An admin sets the server's language in Server Settings (GUILD_UPDATE)."""
        from .locales import set_preferred_locale

        set_preferred_locale(self.state, self.guild, locale)

    def reset_token(self) -> None:
        """The owner presses Bot → Reset Token: the token the bot holds stops working."""
        self.state.application.token = "reset-in-the-developer-portal"

    # -- several servers, roles, channel overwrites ---------------------------------------
    def in_guild(self, guild: Guild) -> Desk:
        """This desk acting in `guild` (e.g. one made with `join_guild`)."""
        from .servers import GuildDesk

        return GuildDesk(self, guild)

    def overwrite(
        self,
        channel: ChannelRef,
        *,
        member: str | None = None,
        role: str | None = None,
        allow: tuple[str, ...] = (),
        deny: tuple[str, ...] = (),
    ) -> None:
        """An admin sets a channel overwrite for a member or a role, e.g.
        `desk.overwrite("tickets", member="bob", allow=("manage_threads",))`."""
        from .servers import MEMBER_OVERWRITE, ROLE_OVERWRITE, set_overwrite

        if (member is None) == (role is None):
            raise ValueError("give exactly one of member= or role=")
        if member is not None:
            target, kind = self.member(member).id, MEMBER_OVERWRITE
        else:
            target, kind = int(self.role(str(role))["id"]), ROLE_OVERWRITE
        payload = self.channel_payload(channel)
        set_overwrite(self.state, payload, target, kind, allow=allow, deny=deny)

    def create_role(self, name: str, *perms: str, holders: tuple[str, ...] = ()) -> Payload:
        """An admin creates a role with server-wide `perms` and gives it to `holders`."""
        from .servers import add_role

        ids = tuple(self.member(n).id for n in holders)
        return add_role(self.state, self.guild, name, *perms, holders=ids)

    def delete_role(self, name: str) -> Payload:
        """An admin deletes a role (GUILD_ROLE_DELETE); its members no longer hold it."""
        from .servers import delete_role

        return delete_role(self.state, self.guild, int(self.role(name)["id"]))

    # -- gateway trouble and slow Discord (issue 12) --------------------------------------
    def _back(self, *, new_session: bool) -> Callable[[], bool]:
        gateway = self.fake.gateway
        readies, resumes = gateway.readies, gateway.resumes
        if new_session:
            return lambda: gateway.readies > readies
        return lambda: gateway.resumes > resumes or gateway.readies > readies

    async def drop_gateway(self, *, end_session: bool = False, timeout: float = 15.0) -> None:
        """The bot's connection breaks; returns once it is back.

        It RESUMEs and gets the missed events replayed, or, with `end_session` (the session
        timed out, close 4009), is refused and IDENTIFYs for a new session (a new READY).
        """
        back = self._back(new_session=end_session)
        await self.fake.gateway.drop_connections(end_sessions=end_session)
        await self.wait_for(back, timeout, "the bot to reconnect")

    async def invalidate_session(self, *, resumable: bool = False, timeout: float = 15.0) -> None:
        """Discord sends INVALID_SESSION (op 9); returns once the bot is back."""
        back = self._back(new_session=not resumable)
        await self.fake.gateway.invalidate_sessions(resumable=resumable)
        await self.wait_for(back, timeout, "the bot to reconnect")

    async def send_reconnect(self, timeout: float = 15.0) -> None:
        """Discord sends RECONNECT (op 7); returns once the bot has RESUMEd."""
        back = self._back(new_session=False)
        await self.fake.gateway.request_reconnect()
        await self.wait_for(back, timeout, "the bot to resume")

    @contextlib.asynccontextmanager
    async def gateway_outage(
        self, *, end_session: bool = True, timeout: float = 15.0
    ) -> AsyncIterator[None]:
        """The gateway is unreachable for the body: the bot gets no events (REST still works).

        Members may post meanwhile. With `end_session` the session does not survive (the
        bot must IDENTIFY afterwards and gets a new READY, not a replay); on leaving, waits
        until the bot is connected again.
        """
        gateway = self.fake.gateway
        back = self._back(new_session=end_session)
        gateway.outage.begin()
        try:
            await gateway.drop_connections(end_sessions=end_session)
            await self.wait_for(lambda: gateway.outage.waiting, timeout, "the bot to try again")
            yield
        finally:
            gateway.outage.end()
        await self.wait_for(back, timeout, "the bot to reconnect")

    def hold_request(
        self, method: str, route: str, *, channel: ChannelRef | None = None, after: bool = False
    ) -> Hold:
        """Hold the bot's next `method route` request (in `channel`) until `.release()`.

        With `after`, Discord acts on it and only the answer is held (crash the bot then, and
        it never learns whether its message went out).
        """
        where = f"/channels/{self.channel_payload(channel)['id']}/" if channel else ""
        return self.fake.hold(method, route, path_contains=where, after=after)

    def allow_bot(self, channel: ChannelRef) -> None:
        """Remove the bot's own overwrite in `channel` (undoing `deny_bot`)."""
        payload = self.channel_payload(channel)
        kept = [o for o in payload["permission_overwrites"] if o["id"] != str(self.bot_id)]
        payload["permission_overwrites"] = kept
        self.state.dispatch("CHANNEL_UPDATE", payload)


class Person:
    """A guild member who types commands, clicks buttons and writes messages."""

    def __init__(self, desk: Desk, user_id: int, name: str) -> None:
        self.desk = desk
        self.id = user_id
        self.name = name

    def __repr__(self) -> str:
        return f"<Person {self.name} {self.id}>"

    def speaks(self, locale: str) -> Person:
        """This person's Discord is set to `locale` ("de", "pt-BR"): every interaction
        they send from now on carries it, as the Discord client does."""
        self._state.user_locales[self.id] = locale
        return self

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def _state(self) -> DiscordState:
        return self.desk.state

    def _visible_channel(self, ref: ChannelRef) -> Payload:
        channel = self.desk.channel_payload(ref)
        perms = self._state.member_permissions(self.desk.guild, self.id, channel)
        if not permissions.has(perms, "view_channel"):
            raise ClientRefused(f"{self.name} cannot see #{channel['name']}")
        outsider = self.id not in self._state.thread_members.get(int(channel["id"]), {})
        moderator = permissions.has(perms, "manage_threads")
        if channel["type"] == PRIVATE_THREAD and outsider and not moderator:
            raise ClientRefused(f"{self.name} is not a member of private thread {channel['name']}")
        return channel

    async def slash(
        self,
        command: str,
        /,
        *,
        in_channel: ChannelRef = "general",
        options: dict[str, Any] | None = None,
        unchecked: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        **values: Any,
    ) -> Reply:
        """`/ticket create subject:...` as typed in `in_channel`; waits for the bot's answer."""
        channel = self._visible_channel(in_channel)
        values = {**(options or {}), **values}
        data = build.command_data(
            self._state, self.desk.guild, self.id, channel, command, values, unchecked=unchecked
        )
        payload = build.base_payload(self._state, self.desk.guild, self.id, channel, 2, data)
        return await self.desk.send_interaction(payload, timeout)

    async def autocomplete(
        self,
        command: str,
        option: str,
        typed: str,
        /,
        *,
        in_channel: ChannelRef = "general",
        **other_values: Any,
    ) -> list[Payload]:
        """The choices the bot suggests while this person types `typed` into `option`."""
        channel = self._visible_channel(in_channel)
        values = {**other_values, option: typed}
        data = build.command_data(
            self._state, self.desk.guild, self.id, channel, command, values, focused=option
        )
        payload = build.base_payload(self._state, self.desk.guild, self.id, channel, 4, data)
        reply = await self.desk.send_interaction(payload)
        return reply.choices

    def _component_payload(self, message: Msg, data: Payload) -> Payload:
        if message.ephemeral:
            record = next(
                (
                    i
                    for i in self._state.interactions.values()
                    if message.id in (i.original_id, *i.followup_ids)
                ),
                None,
            )
            if record is None or record.user_id != self.id:
                raise ClientRefused(f"{self.name} cannot see that ephemeral message")
            channel = self.desk.channel_payload(message.channel_id)
        else:
            channel = self._visible_channel(message.channel_id)
        payload = build.base_payload(self._state, self.desk.guild, self.id, channel, 3, data)
        payload["message"] = message.raw
        return payload

    def _component(self, message: Msg, kind: int, match: Callable[[Payload], bool]) -> Payload:
        for component in walk_components(message.components):
            if component.get("type") == kind and match(component):
                if component.get("disabled"):
                    raise ClientRefused(f"that component is disabled on {message!r}")
                return component
        raise ClientRefused(f"no such component on {message!r} (buttons: {message.buttons})")

    async def click(
        self, message: Msg | Reply, label: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> Reply:
        """Click the button whose label (or custom_id) is `label`."""
        msg = _as_msg(message)
        button = self._component(msg, 2, lambda c: label in (c.get("label"), c.get("custom_id")))
        if button.get("style") in (5, 6) or "custom_id" not in button:
            raise ClientRefused(f"button {label!r} is a link; it sends no interaction")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self.desk.send_interaction(self._component_payload(msg, data), timeout)

    async def select(
        self,
        message: Msg | Reply,
        which: str,
        values: list[str],
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Reply:
        """Pick `values` in the string select whose placeholder or custom_id is `which`."""
        msg = _as_msg(message)
        menu = self._component(
            msg, 3, lambda c: which in (c.get("placeholder"), c.get("custom_id"))
        )
        allowed = [o["value"] for o in menu.get("options") or []]
        if any(v not in allowed for v in values):
            raise ClientRefused(f"{values} not among the options {allowed}")
        data = {"custom_id": menu["custom_id"], "component_type": 3, "values": values}
        return await self.desk.send_interaction(self._component_payload(msg, data), timeout)

    async def submit_modal(
        self,
        modal: Modal | Reply,
        values: dict[str, Any],
        *,
        unchecked: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Reply:
        """Fill the modal (inputs by label or custom_id) and press Submit."""
        if isinstance(modal, Reply):
            modal = modal.modal
        opener = modal.interaction
        if opener.user_id != self.id:
            raise ClientRefused(f"the modal was shown to someone else, not {self.name}")
        components, resolved = build.modal_submission(self._state, modal.data, values, unchecked)
        data: Payload = {"custom_id": modal.custom_id, "components": components}
        if resolved:
            data["resolved"] = resolved
        channel = self.desk.channel_payload(opener.payload["channel_id"])
        payload = build.base_payload(self._state, self.desk.guild, self.id, channel, 5, data)
        if opener.payload.get("message"):
            payload["message"] = self._state.messages_by_id.get(
                int(opener.payload["message"]["id"]), opener.payload["message"]
            )
        return await self.desk.send_interaction(payload, timeout, opener=opener)

    async def say(
        self, channel: ChannelRef, content: str, *, files: list[tuple[str, bytes]] | None = None
    ) -> Msg:
        """Post a message as this member (MESSAGE_CREATE reaches the bot)."""
        target = self._visible_channel(channel)
        perms = self._state.member_permissions(self.desk.guild, self.id, target)
        needed = "send_messages_in_threads" if target["type"] in THREAD_TYPES else "send_messages"
        if not permissions.has(perms, needed):
            raise ClientRefused(f"{self.name} may not send messages in {target['name']}")
        meta = target.get("thread_metadata") or {}
        if meta.get("locked") and not permissions.has(perms, "manage_threads"):
            raise ClientRefused(f"thread {target['name']} is locked")
        uploads = [(name, data, build._guess_type(name)) for name, data in files or []]
        raw = create_message(self._state, target, self.id, {"content": content}, uploads)
        return Msg(raw, self._state)

    async def edit(self, message: Msg, content: str) -> Msg:
        """Edit one's own message (MESSAGE_UPDATE reaches the bot)."""
        if message.author_id != self.id:
            raise ClientRefused(f"{self.name} can only edit their own messages")
        raw = edit_message(self._state, message.raw, {"content": content}, [])
        return Msg(raw, self._state)

    async def press(
        self, message: Msg | Reply, custom_id: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> Reply:
        """A forged click: a button with any `custom_id` on a message this person can see.

        Discord only sends clicks on buttons a message really has, and discord.py only routes
        a click whose custom_id is on the message in the payload; so the payload carries a
        copy of the message with the forged button added, as a replayed or tampered click
        would look if it got through. The bot must refuse it on its own checks.
        """
        msg = _as_msg(message)
        button = {"type": 2, "style": 2, "label": "forged", "custom_id": custom_id}
        raw = {**msg.raw, "components": [*msg.components, {"type": 1, "components": [button]}]}
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._component_payload(Msg(raw, self._state), data)
        return await self.desk.send_interaction(payload, timeout)


def _as_msg(value: Msg | Reply) -> Msg:
    if isinstance(value, Reply):
        if value.visible is None:
            raise AssertionError(f"{value!r} has no message to interact with")
        return value.visible
    return value
