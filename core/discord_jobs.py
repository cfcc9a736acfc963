"""Discord work queued by a front end that has no Discord (the HTTP API).

A reply written over HTTP (or on the web dashboard) must appear in its ticket's thread, and a submission made over
HTTP must be posted for review, and a ticket closed over HTTP needs its thread archived. The front end can't do that itself (it may even run in
another process), so the unit of work that stores the reply or submission also queues
the Discord side (`queue_discord_work`, a subscriber of core/events.py, acting only for
writes marked `front_end_without_discord`). The process holding the guild takes the jobs
(cogs/tickets/discord_jobs.py), does them in order, and retries what Discord refused.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta

from core.clock import Clock
from core.events import NOTE_ADDED, TICKET_TRIAGED, DomainEvent
from core.form_models import Form, Submission
from core.integration_models import DiscordJob, DiscordJobKind, EventName
from core.models import AuthorKind, Reply, Status, Ticket
from core.ports import Store, UnitOfWork

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # longer than one attempt takes
GIVE_UP_AFTER = timedelta(days=1)
LONGEST_PAUSE = timedelta(minutes=10)
CLAIM_LIMIT = 20


def pause_after(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … between attempts, at most ten minutes."""
    return min(timedelta(seconds=5 * 2 ** min(max(attempts - 1, 0), 10)), LONGEST_PAUSE)


async def queue_discord_work(uow: UnitOfWork, event: DomainEvent) -> None:
    """Subscriber: the Discord side of a change made by a front end without Discord."""
    if event.remote_origin is None:
        return  # the Discord front end does its own Discord work
    if event.name == EventName.TICKET_REPLIED and event.reply is not None:
        reply = event.reply
        if reply.message_id is None and reply.author_kind in (AuthorKind.MEMBER, AuthorKind.STAFF):
            await uow.discord_jobs.add(
                guild_id=event.guild_id,
                kind=DiscordJobKind.POST_REPLY,
                payload={
                    "reply_id": reply.id,
                    "ticket_id": reply.ticket_id,
                    "by": event.remote_origin,
                },
                now=event.at,
            )
    elif event.name == EventName.TICKET_CLOSED and event.ticket is not None:
        # After any reply queued before it, so the thread shows it before the closing line.
        await uow.discord_jobs.add(
            guild_id=event.guild_id,
            kind=DiscordJobKind.FINISH_CLOSE,
            payload={"ticket_id": event.ticket.id},
            now=event.at,
        )
    elif event.name == EventName.FORM_SUBMITTED and event.submission is not None:
        await uow.discord_jobs.add(
            guild_id=event.guild_id,
            kind=DiscordJobKind.POST_SUBMISSION,
            payload={"submission_id": event.submission.id},
            now=event.at,
        )
    elif event.name == EventName.FORM_REVIEWED and event.submission is not None:
        # The member is told (and given the form's role) as when staff click Accept.
        await uow.discord_jobs.add(
            guild_id=event.guild_id,
            kind=DiscordJobKind.TELL_REVIEW,
            payload={"submission_id": event.submission.id, "by": event.remote_origin},
            now=event.at,
        )
    elif event.name == NOTE_ADDED and event.ticket is not None:
        # Who kept a note, never its words: the log channel, as for a note kept on Discord.
        await uow.discord_jobs.add(
            guild_id=event.guild_id,
            kind=DiscordJobKind.LOG_NOTE,
            payload={"ticket_id": event.ticket.id, "author_id": str(event.actor_id)},
            now=event.at,
        )
    elif event.ticket is not None and (change := _announced(event)) is not None:
        # Said in the thread and the log channel, as when staff triage in Discord.
        await uow.discord_jobs.add(
            guild_id=event.guild_id,
            kind=DiscordJobKind.ANNOUNCE,
            payload={"ticket_id": event.ticket.id, "change": change, "by": event.remote_origin},
            now=event.at,
        )


def _announced(event: DomainEvent) -> str | None:
    """The triage change an event is, if the thread should be told of it."""
    if event.name == TICKET_TRIAGED:
        return event.change
    resolved = event.ticket is not None and event.ticket.status is Status.RESOLVED
    if event.name == EventName.TICKET_STATUS_CHANGED and resolved:
        return "resolved"
    return None


class DiscordJobService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def claim_due(
        self, guild_ids: Collection[int], *, due_only: bool = True
    ) -> list[DiscordJob]:
        """Due jobs of these guilds; at start-up (`due_only=False`) every job of them, since
        a lease of this process's previous life means nothing any more."""
        now = self._clock.now()
        if not guild_ids:
            return []
        if due_only and not await self._store.reads.discord_jobs.any_due(guild_ids, now):
            return []  # the usual case: no write at all
        return await self._store.write(
            lambda uow: uow.discord_jobs.claim_due(
                guild_ids, now=now, lease_until=now + LEASE, limit=CLAIM_LIMIT, due_only=due_only
            )
        )

    async def done(self, job: DiscordJob) -> None:
        await self._store.write(lambda uow: uow.discord_jobs.finish(job.id))

    async def failed(self, job: DiscordJob, error: str, *, delay: float | None = None) -> bool:
        """Try again after a growing pause (or `delay` seconds); False when the job was
        given up (a day of failures)."""
        now = self._clock.now()
        if now - job.created_at >= GIVE_UP_AFTER:
            log.warning("gave up on Discord job %s (%s): %s", job.id, job.kind, error)
            await self.done(job)
            return False
        pause = pause_after(job.attempts) if delay is None else timedelta(seconds=delay)
        due = now + pause
        await self._store.write(lambda uow: uow.discord_jobs.retry_later(job.id, due, error))
        return True

    # -- what a job needs, from committed data -------------------------------------------

    async def reply_to_post(self, job: DiscordJob) -> tuple[Ticket, Reply] | None:
        """The ticket and reply a POST_REPLY job is about; None if either is gone."""
        reads = self._store.reads
        ticket = await reads.tickets.get(int(job.payload["ticket_id"]))
        if ticket is None:
            return None
        replies, _ = await reads.replies.page(ticket.id)
        reply = next((r for r in replies if r.id == int(job.payload["reply_id"])), None)
        return None if reply is None else (ticket, reply)

    async def ticket_of(self, job: DiscordJob) -> Ticket | None:
        return await self._store.reads.tickets.get(int(job.payload["ticket_id"]))

    async def submission_to_post(self, job: DiscordJob) -> tuple[Form, Submission] | None:
        reads = self._store.reads
        submission = await reads.submissions.get(int(job.payload["submission_id"]))
        if submission is None:
            return None
        form = await reads.forms.get(submission.form_id)
        return None if form is None else (form, submission)
