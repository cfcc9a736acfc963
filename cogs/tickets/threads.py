"""The thread is the conversation: mirror every message typed in a ticket thread.

Nothing may be lost across gateway trouble. A RESUMEd session gets its missed events
replayed by Discord, but a new session (READY: after a restart, or when Discord ended the
old one) starts with a gap. So each ticket keeps a mark: every message of its thread up
to the mark is handled. After every READY the catch-up reads each live thread's history
after its mark, and only then counts the thread as followed live in this session; live
messages move the mark only in threads followed so, one at a time per thread, so the mark
never jumps over a message that was missed or is still being stored.

Run as gateway shards, each shard has its own sessions: a shard's new session (its READY,
`on_shard_connect` / `on_shard_ready`) leaves a gap in its own guilds' threads only, so
the catch-up after it reads the live threads of that shard's guilds, and no process ever
reads threads of guilds it does not hold.
"""

from __future__ import annotations

import asyncio
import logging
import time

import discord
from discord.ext import commands

from cogs.shared.actors import member_is_staff
from cogs.shared.desk import TicketDesk, is_gone
from core.models import Attachment, Reply, Ticket

log = logging.getLogger(__name__)

HISTORY_BATCH = 100
CATCH_UP_PAGE = 500
RETRY_SECONDS = (5, 30, 120, 600)  # pauses before catching up again on threads that failed

Members = dict[tuple[int, int], discord.Member | None]
# Whose sessions: a shard id, or None for the bot's one connection when it runs unsharded.
SessionKey = int | None


def attachments_of(message: discord.Message) -> list[Attachment]:
    return [Attachment(filename=a.filename, url=a.url, size=a.size) for a in message.attachments]


def text_of(message: discord.Message) -> str:
    # A message with only files still belongs in the record.
    return message.content or ("(attachment)" if message.attachments else "(no text)")


def _mirrored_kind(message: discord.Message) -> bool:
    """Messages people typed; the bot's own posts are stored by the code that sends them."""
    return not message.author.bot and message.type in (
        discord.MessageType.default,
        discord.MessageType.reply,
    )


class ThreadMirror(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.tickets = desk.services.tickets
        # READYs per shard (one key, None, unsharded): a new one means a gap to catch up on.
        self._sessions: dict[SessionKey, int] = {}
        # Threads known whole, live, in the current session of the shard they are on.
        self._followed: dict[int, SessionKey] = {}
        self._catching_up: dict[SessionKey, asyncio.Lock] = {}

    @property
    def _sharded(self) -> bool:
        return isinstance(self.desk.bot, discord.AutoShardedClient)

    def _key_of(self, guild: discord.Guild | None) -> SessionKey:
        return guild.shard_id if self._sharded and guild is not None else None

    # -- who wrote it ---------------------------------------------------------------------

    async def _author(self, message: discord.Message, members: Members) -> discord.abc.User:
        """The author as a guild member, so staff roles count the same live and caught up.

        Live events carry the member; history does not (and without the Members intent
        the cache has no one), so ask Discord for the member, once per person per pass.
        """
        author = message.author
        guild = message.guild
        if isinstance(author, discord.Member) or guild is None:
            return author
        key = (guild.id, author.id)
        if key not in members:
            member = guild.get_member(author.id)
            if member is None:
                try:
                    member = await guild.fetch_member(author.id)
                except discord.NotFound:
                    member = None  # left the server: no roles left to judge by
            members[key] = member
        return members[key] or author

    # -- storing --------------------------------------------------------------------------

    async def record(
        self, message: discord.Message, *, followed: bool = False, members: Members | None = None
    ) -> tuple[Ticket, Reply] | None:
        """Store a thread message; returns its ticket and reply when the message was new.

        `followed`: every earlier message of the thread is handled, so the ticket's mark
        may move up to this one.
        """
        if message.guild is None:
            return None
        if not _mirrored_kind(message):
            if followed:
                await self.tickets.mark_mirrored(message.channel.id, message.id)
            return None
        config = await self.desk.services.guilds.config(message.guild.id)
        author = await self._author(message, {} if members is None else members)
        result = await self.tickets.record_message(
            thread_id=message.channel.id,
            author_id=message.author.id,
            author_is_staff=member_is_staff(author, config),
            body=text_of(message),
            message_id=message.id,
            attachments=attachments_of(message),
            created_at=message.created_at,
            mirrored=followed,
        )
        return result

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not isinstance(message.channel, discord.Thread):
            return
        thread_id = message.channel.id
        # One at a time per thread: the mark may only pass messages already stored.
        async with self.desk.thread_lock(thread_id):
            try:
                stored = await self.record(message, followed=thread_id in self._followed)
            except Exception:
                # A hole now: stop moving the mark, so the next catch-up reads it again.
                self._followed.pop(thread_id, None)
                log.exception("could not mirror message %s", message.id)
                return
        if stored is not None:
            ticket, reply = stored
            self.desk.bot.dispatch("ticket_message", ticket, message, reply)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        content = payload.data.get("content")
        author = payload.data.get("author") or {}
        if content is None or author.get("bot"):
            return
        await self.tickets.record_edit(payload.message_id, content)

    # -- sessions -------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_connect(self) -> None:
        """A new session (READY, never a RESUME): what happened before it is unknown.

        discord.py dispatches this while parsing READY, before any event of the new
        session, so no live message can move a mark before its thread is caught up.
        """
        if not self._sharded:  # shards: on_shard_connect, for that shard's threads only
            self._new_session(None)

    @commands.Cog.listener()
    async def on_shard_connect(self, shard_id: int) -> None:
        self._new_session(shard_id)

    def _new_session(self, key: SessionKey) -> None:
        self._sessions[key] = self._sessions.get(key, 0) + 1
        self._followed = {t: k for t, k in self._followed.items() if k != key}

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        # Made during this session: every message in it reaches us live.
        self._followed[thread.id] = self._key_of(thread.guild)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """After every new session (on_ready follows each READY, not a RESUME)."""
        if not self._sharded:  # shards: on_shard_ready follows each shard's READY
            await self._after_session(None)

    @commands.Cog.listener()
    async def on_shard_ready(self, shard_id: int) -> None:
        await self._after_session(shard_id)

    async def _after_session(self, key: SessionKey) -> None:
        session = self._sessions.get(key, 0)
        lock = self._catching_up.setdefault(key, asyncio.Lock())
        for pause in (0, *RETRY_SECONDS):
            await asyncio.sleep(pause)
            if session != self._sessions.get(key, 0):
                return  # a newer session has its own pass
            async with lock:  # an older pass stops at its next thread
                if session != self._sessions.get(key, 0):
                    return
                if not await self.catch_up(session, shard_id=key):
                    return
        log.warning("some ticket threads could not be caught up; the next session will")

    # -- catching up ----------------------------------------------------------------------

    async def catch_up(self, session: int | None = None, *, shard_id: SessionKey = None) -> int:
        """Store what was posted in live ticket threads while no session followed them
        (those of `shard_id`'s guilds, when the bot runs as shards).

        Returns how many threads could not be read (to try again). The gateway hands over
        every active thread with its `last_message_id`: a thread whose newest message is
        not past the mark has nothing new and costs no request, so a restart with 50,000
        live tickets reads the history of the few threads that moved. Tickets are walked
        a page at a time as ids, not loaded as 50,000 models at once.
        """
        key = shard_id
        current = self._sessions.get(key, 0)
        session = current if session is None else session
        # Unsharded: every live ticket. A shard: its own guilds' (unavailable ones too: a
        # thread out of reach now is tried again, as any other).
        guilds = (
            None if key is None else self.desk.held_guild_ids(shard_id=key, available_only=False)
        )
        started = time.monotonic()
        checked = read = stored = failed = 0
        members: Members = {}
        after = 0
        while page := await self.tickets.live_threads(
            after_id=after, limit=CATCH_UP_PAGE, guild_ids=guilds
        ):
            for ticket_id, thread_id, mark in page:
                after = ticket_id
                if session != self._sessions.get(key, 0):
                    return 0  # a newer session has its own pass
                checked += 1
                if thread_id in self._followed:
                    continue
                try:
                    count = await self._catch_up_thread(session, key, thread_id, mark, members)
                except Exception as error:
                    failed += 1
                    log.warning("could not catch up ticket %s: %s", ticket_id, error)
                    continue
                if count is not None:
                    read += 1
                    stored += count
        if stored:
            log.info("caught up on %s messages posted while offline", stored)
        log.info(
            "catch-up done in %.1fs: %s live ticket threads, %s histories read, %s failed%s",
            time.monotonic() - started,
            checked,
            read,
            failed,
            "" if key is None else f" (shard {key})",
        )
        return failed

    async def _catch_up_thread(
        self, session: int, key: SessionKey, thread_id: int, mark: int | None, members: Members
    ) -> int | None:
        """Read one thread after its mark; None when there was nothing to read."""
        async with self.desk.thread_lock(thread_id):  # live messages of this thread wait meanwhile
            if session != self._sessions.get(key, 0):
                return None
            thread = self.desk.bot.get_channel(thread_id)
            if not (isinstance(thread, discord.Thread) and _seen_all(thread, mark)):
                thread = await self._fetch_thread(thread_id)
            if thread is None or _seen_all(thread, mark):
                # Keyed by the thread's own id object, not the database row's: one int, not
                # two, for each of 50,000 live threads.
                self._followed[thread_id if thread is None else thread.id] = key
                return None
            count = await self._read_history(thread, mark, members)
            self._followed[thread.id] = key
            return count

    async def _fetch_thread(self, thread_id: int) -> discord.Thread | None:
        try:
            channel = await self.desk.bot.fetch_channel(thread_id)
        except discord.HTTPException as error:
            if not is_gone(error):
                raise  # out of reach right now: this thread is tried again
            # Deleted while no session heard it: nothing to read, and the ticket closes.
            self.desk.bot.dispatch("ticket_thread_gone", thread_id)
            return None
        return channel if isinstance(channel, discord.Thread) else None

    async def _read_history(
        self, thread: discord.Thread, mark: int | None, members: Members
    ) -> int:
        """Store every message after the mark, moving the mark with each one handled."""
        stored = 0
        handled = mark
        try:
            after = discord.Object(mark) if mark else None
            async for message in thread.history(limit=None, after=after, oldest_first=True):
                # The bot's own posts are skipped without a write; the final mark covers them.
                mirrored = _mirrored_kind(message)
                if mirrored and await self.record(message, followed=True, members=members):
                    stored += 1
                handled = message.id
        finally:
            if handled is not None and handled != mark:
                await self.tickets.mark_mirrored(thread.id, handled)
        return stored


def _seen_all(thread: discord.Thread, mark: int | None) -> bool:
    """Snowflakes grow with time: nothing is newer than the mark if it is the newest."""
    newest = thread.last_message_id
    return mark is not None and newest is not None and newest <= mark
