"""Discord work queued by a front end without Discord (core/discord_jobs.py), done here.

Jobs of the guilds this process holds are taken in order: a reply written over HTTP is
posted in its ticket's thread (showing who wrote it; the AI may answer a member's reply
as it would in Discord), a submission made over HTTP is posted for review, a ticket closed
over HTTP gets its thread archived and its transcripts posted. What Discord refuses is
tried again later; one ticket's jobs stay in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re

import discord
from discord.ext import commands

from cogs.forms.review import post_for_review
from cogs.lifecycle.closing import finish_close
from cogs.lifecycle.upkeep import sweep_interval
from cogs.outbox.dashboard_jobs import announce, tell_review
from cogs.shared.desk import TicketDesk
from cogs.shared.text import NO_PINGS, split_text
from cogs.staff.notes import log_note_added
from core.integration_models import DiscordJob, DiscordJobKind
from core.models import Reply, Status, Ticket
from core.policy import system_actor
from i18n import Speech

log = logging.getLogger(__name__)

POLL_SECONDS = 10.0  # jobs queued by another process are looked for this often
THREAD_PENDING_SECONDS = 2.0  # a reply to a ticket whose thread is still being made
LOOK_BACK = 20  # messages a retry checks for a post an interrupted attempt made


class Later(Exception):
    """Not now: the job is tried again after its pause (or `delay` seconds)."""

    def __init__(self, reason: str, delay: float | None = None) -> None:
        super().__init__(reason)
        self.delay = delay


# How the HTTP API labels who acted (api/auth.py), stored with the event in English.
API_KEY_LABEL = re.compile(r"^API key “(?P<name>.*)”$", re.S)


def reply_header(reply: Reply, by: str | None, t: Speech) -> str:
    """The line above a reply posted for another front end, in the server's language."""
    user = f"<@{reply.author_id}>"
    kind = t.pgettext("author", reply.author_kind.value)
    if not by:
        return t._("{user} ({kind}) wrote:", user=user, kind=kind)
    key = API_KEY_LABEL.match(by)
    origin = t._("API key “{name}”", name=key["name"]) if key else by
    return t._("{user} ({kind}, via {origin}) wrote:", user=user, kind=kind, origin=origin)


class DiscordJobs(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.bot = desk.bot
        self.jobs = desk.services.discord_jobs
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="discord-jobs")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def wake(self) -> None:
        self._wake.set()

    @commands.Cog.listener()
    async def on_work_queued(self) -> None:
        self._wake.set()

    @commands.Cog.listener()
    async def on_ticket_opened(self, ticket: Ticket, thread: discord.Thread) -> None:
        self._wake.set()  # replies may have waited for this thread

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        poll = min(POLL_SECONDS, sweep_interval(self.bot.settings.SWEEP_INTERVAL_SECONDS))
        due_only = False  # the first pass takes every job (see DiscordJobService.claim_due)
        while not self.bot.is_closed():
            self._wake.clear()
            try:
                await self.run_once(due_only=due_only)
                due_only = True
            except Exception:
                log.exception("doing queued Discord work failed; trying again")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll):
                    await self._wake.wait()

    async def run_once(self, *, due_only: bool = True) -> None:
        guild_ids = [
            guild.id
            for guild in self.bot.guilds
            if not guild.unavailable and self.desk.holds(guild.id)
        ]
        held_back: dict[int, float | None] = {}  # ticket id -> the delay its failed job got
        for job in await self.jobs.claim_due(guild_ids, due_only=due_only):
            ticket_id = job.payload.get("ticket_id")
            try:
                if ticket_id in held_back:  # an earlier job of this ticket must go first
                    raise Later("waiting for an earlier job of its ticket", held_back[ticket_id])
                await self._do(job)
            except Later as later:
                if ticket_id is not None:
                    held_back[ticket_id] = later.delay
                await self.jobs.failed(job, str(later), delay=later.delay)
            except Exception as error:
                log.warning("Discord job %s (%s) failed: %r", job.id, job.kind, error)
                if ticket_id is not None:
                    held_back[ticket_id] = None
                await self.jobs.failed(job, repr(error)[:300])
            else:
                await self.jobs.done(job)

    async def _do(self, job: DiscordJob) -> None:
        if job.kind is DiscordJobKind.POST_REPLY:
            await self._post_reply(job)
        elif job.kind is DiscordJobKind.POST_SUBMISSION:
            await self._post_submission(job)
        elif job.kind is DiscordJobKind.FINISH_CLOSE:
            await self._finish_close(job)
        elif job.kind is DiscordJobKind.ANNOUNCE:
            ticket = await self.jobs.ticket_of(job)
            if ticket is not None:
                await announce(self.desk, ticket, job.payload["change"], job.payload["by"])
        elif job.kind is DiscordJobKind.LOG_NOTE:
            ticket = await self.jobs.ticket_of(job)
            if ticket is not None:
                config = await self.desk.services.guilds.config(ticket.guild_id)
                await log_note_added(self.desk, config, ticket, int(job.payload["author_id"]))
        elif job.kind is DiscordJobKind.TELL_REVIEW:
            found = await self.jobs.submission_to_post(job)
            if found is not None:
                await tell_review(self.desk, *found, job.payload["by"])

    async def _post_reply(self, job: DiscordJob) -> None:
        found = await self.jobs.reply_to_post(job)
        if found is None:
            return  # the ticket or reply is gone
        ticket, reply = found
        if reply.message_id is not None:
            return  # posted already
        thread, gone = await self.desk.locate_thread(ticket)
        if thread is None:
            if gone:
                log.info(
                    "reply %s not posted: the thread of ticket %s is gone", reply.id, ticket.id
                )
                return
            if ticket.waiting_for_thread:
                raise Later("its thread is still being made", THREAD_PENDING_SECONDS)
            raise Later("its thread can't be reached right now")
        if ticket.status is Status.CLOSED and thread.archived:
            # Closed since (the close's own job comes after this one, so this is a close
            # made elsewhere): posting would unarchive the thread. The reply is kept in the
            # record and the transcripts.
            return
        config = await self.desk.services.guilds.config(ticket.guild_id)
        header = reply_header(reply, job.payload.get("by"), self.desk.server_speech(config))
        first = await self._posted_before(thread, header, reply) if job.attempts > 1 else None
        if first is None:
            sent = [
                await thread.send(chunk, allowed_mentions=NO_PINGS)
                for chunk in split_text(f"{header}\n{reply.body}")
            ]
            first = sent[0]
        await self.desk.services.tickets.attach_message(reply.id, first.id)
        # As for a message typed in the thread: the AI may answer a member's reply.
        current = await self.desk.services.tickets.by_thread(thread.id) or ticket
        self.bot.dispatch("ticket_message", current, first, reply)

    async def _posted_before(
        self, thread: discord.Thread, header: str, reply: Reply
    ) -> discord.Message | None:
        """The post an interrupted attempt made (Discord took it, the bot died before
        recording it), so the reply goes out once."""
        me = self.bot.user.id if self.bot.user else None
        async for message in thread.history(limit=LOOK_BACK):
            own = message.author.id == me and message.content.startswith(header)
            if own and reply.body[:100] in message.content:
                return message
        return None

    async def _post_submission(self, job: DiscordJob) -> None:
        found = await self.jobs.submission_to_post(job)
        if found is None:
            return
        form, submission = found
        if submission.review_message_id is not None:
            return  # posted already
        config = await self.desk.services.guilds.config(form.guild_id)
        # When it can't be posted, post_for_review says so in the log channel; the
        # submission is kept and listed by the submissions command, as in Discord.
        await post_for_review(self.desk, config, form, submission)

    async def _finish_close(self, job: DiscordJob) -> None:
        ticket = await self.desk.services.closing.ticket(int(job.payload["ticket_id"]))
        if ticket is None or ticket.status is not Status.CLOSED:
            return  # gone, or reopened since
        config = await self.desk.services.guilds.config(ticket.guild_id)
        # Each part done is recorded; what Discord refuses is left to the upkeep sweep.
        await finish_close(self.desk, system_actor(ticket.guild_id), config, ticket)
