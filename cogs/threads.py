"""The thread is the conversation: mirror every message typed in a ticket thread."""

from __future__ import annotations

import logging
import time

import discord
from discord.ext import commands

from cogs.common import member_is_staff
from cogs.desk import TicketDesk
from core.models import Attachment, Ticket

log = logging.getLogger(__name__)

HISTORY_BATCH = 100
CATCH_UP_PAGE = 500


def attachments_of(message: discord.Message) -> list[Attachment]:
    return [Attachment(filename=a.filename, url=a.url, size=a.size) for a in message.attachments]


def text_of(message: discord.Message) -> str:
    # A message with only files still belongs in the record.
    return message.content or ("(attachment)" if message.attachments else "(no text)")


class ThreadMirror(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.tickets = desk.services.tickets
        self._caught_up = False

    async def record(self, message: discord.Message) -> Ticket | None:
        """Store a thread message; returns its ticket when the message was new."""
        if (
            message.guild is None
            or message.author.bot
            or message.type
            not in (
                discord.MessageType.default,
                discord.MessageType.reply,
            )
        ):
            return None
        config = await self.desk.services.guilds.config(message.guild.id)
        result = await self.tickets.record_message(
            thread_id=message.channel.id,
            author_id=message.author.id,
            author_is_staff=member_is_staff(message.author, config),
            body=text_of(message),
            message_id=message.id,
            attachments=attachments_of(message),
            created_at=message.created_at,
        )
        return None if result is None else result[0]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not isinstance(message.channel, discord.Thread):
            return
        try:
            ticket = await self.record(message)
        except Exception:
            log.exception("could not mirror message %s", message.id)
            return
        if ticket is not None:
            self.desk.bot.dispatch("ticket_message", ticket, message)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        content = payload.data.get("content")
        author = payload.data.get("author") or {}
        if content is None or author.get("bot"):
            return
        await self.tickets.record_edit(payload.message_id, content)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._caught_up:  # on_ready fires again after reconnects
            return
        self._caught_up = True
        await self.catch_up()

    async def catch_up(self) -> None:
        """Store messages posted in live ticket threads while the bot was down.

        The gateway hands over every active thread at start-up with its `last_message_id`.
        A thread whose last message is one already stored has nothing new, so it costs no
        request: a restart with 50,000 live tickets reads the history of the few threads that
        moved, instead of sending 50,000 history requests (discord.py also scans its
        per-channel rate-limit buckets on every request, so that many got slower and slower).
        Tickets are walked a page at a time as ids, not loaded as 50,000 models at once.
        """
        await self.tickets.discard_orphans()
        started = time.monotonic()
        checked = read = stored = 0
        after = 0
        while page := await self.tickets.live_threads(after_id=after, limit=CATCH_UP_PAGE):
            for ticket_id, thread_id, last in page:
                after = ticket_id
                checked += 1
                cached = self.desk.bot.get_channel(thread_id)
                if isinstance(cached, discord.Thread) and _seen_all(cached, last):
                    continue
                thread, gone = await self.desk.find_thread(thread_id)
                if gone:  # deleted while the bot was away
                    self.desk.bot.dispatch("ticket_thread_gone", thread_id)
                if thread is None or _seen_all(thread, last):
                    continue
                read += 1
                stored += await self._read_history(ticket_id, thread, last)
        if stored:
            log.info("caught up on %s messages posted while offline", stored)
        log.info(
            "catch-up done in %.1fs: %s live ticket threads, %s histories read",
            time.monotonic() - started,
            checked,
            read,
        )

    async def _read_history(self, ticket_id: int, thread: discord.Thread, last: int | None) -> int:
        stored = 0
        after = discord.Object(last) if last else None
        try:
            async for message in thread.history(limit=None, after=after, oldest_first=True):
                if await self.record(message) is not None:
                    stored += 1
        except discord.HTTPException as error:
            log.warning("could not read the history of ticket %s: %s", ticket_id, error)
        return stored


def _seen_all(thread: discord.Thread, last_stored: int | None) -> bool:
    """Snowflakes grow with time: nothing is newer than `last_stored` if it is the newest."""
    newest = thread.last_message_id
    return last_stored is not None and newest is not None and newest <= last_stored
