"""Ending a ticket on Discord: closing note, transcript, archive and lock, DM, log line."""

from __future__ import annotations

import logging

from cogs.lifecycle.close_work import CloseRun, Upload, as_files, send_transcript
from cogs.shared.desk import TicketDesk
from core.models import Actor, GuildConfig, Ticket
from core.transcript import transcript_uploads as build_uploads
from i18n import Speech

log = logging.getLogger(__name__)

__all__ = ["as_files", "finish_close", "send_transcript", "transcript_uploads"]


async def transcript_uploads(
    desk: TicketDesk, actor: Actor, ticket_id: int, t: Speech
) -> list[Upload]:
    """The ticket's transcript from the database, as groups of files (one per message),
    labelled in `t`'s language."""
    ticket, replies = await desk.services.tickets.all_replies(actor, ticket_id)
    return build_uploads(ticket, replies, t=t)


async def finish_close(
    desk: TicketDesk, actor: Actor, config: GuildConfig, ticket: Ticket, t: Speech | None = None
) -> list[str]:
    """After the service closed the ticket: tell everyone, archive, keep the record.

    The close recorded these parts as still to do, so whatever fails here (or is cut short
    by a crash) is done by a later sweep. Returns notes about what could not be done yet,
    for the person who closed it (in their language `t`; the server's when none).
    """
    work = await desk.services.closing.pending(ticket.id)
    if work is None:
        return []  # already finished (or the ticket was reopened)
    return await CloseRun(desk, config, ticket, work, retrying=False, told=t).run()
