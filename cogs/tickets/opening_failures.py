"""When making a ticket's thread fails: what kind of failure it is, and what the member
is told about it (the ticket is kept, retried, or taken back)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp
import discord

from core.models import Ticket
from i18n import Speech

log = logging.getLogger(__name__)

MISSING_ACCESS = 50001  # Discord: the member can't be added (cannot see the channel)


class ThreadNotMade(Exception):
    """One attempt failed; the ticket still waits for its thread. `transient`: Discord may
    well succeed on the next try by itself (5xx, rate limit, no answer); otherwise it
    refused, and something must change first (a permission, the ticket channel)."""

    def __init__(
        self,
        reason: str,
        *,
        transient: bool,
        error: BaseException | None = None,
        thread: discord.Thread | None = None,
        said: Callable[[Speech], str] | None = None,
    ) -> None:
        super().__init__(reason)
        # `reason` is stored with the ticket and compared (English, for operators);
        # `said` says it to people, in their language, when the desk found the fault itself.
        self.reason = reason
        self.said = said
        self.transient = transient
        self.error = error
        self.thread = thread


def failure_of(error: BaseException, thread: discord.Thread | None) -> ThreadNotMade:
    if isinstance(error, discord.HTTPException):
        transient = error.status >= 500 or error.status == 429
        reason = f"{error.status} {error.text or type(error).__name__}"
    elif isinstance(error, discord.RateLimited):
        transient, reason = True, f"rate limited for {error.retry_after:.0f}s"
    elif isinstance(error, TimeoutError | OSError | aiohttp.ClientError):
        transient, reason = True, f"no answer from Discord ({type(error).__name__})"
    else:
        log.error("unexpected error while making a ticket thread", exc_info=error)
        transient, reason = True, f"unexpected {type(error).__name__}"
    return ThreadNotMade(reason, transient=transient, error=error, thread=thread)


# -- what the member is told (in their language, `t`) -------------------------------------


def delayed(ticket: Ticket, t: Speech) -> str:
    return t._(
        "Your ticket {ref} is saved, but Discord is making me wait before I can create its "
        "thread (it is limiting how fast threads are made). I'll post the link here as soon "
        "as it exists; you don't need to do anything.",
        ref=ticket.ref,
    )


def will_retry(ticket: Ticket, failure: ThreadNotMade, t: Speech) -> str:
    return t._(
        "Your ticket {ref} is saved, but Discord had a problem creating its thread "
        "({problem}). I'll try again shortly and post the link here; you don't need to do "
        "anything.",
        ref=ticket.ref,
        problem=short(failure, t),
    )


def still_waiting(
    ticket: Ticket, failure: ThreadNotMade, channel: discord.TextChannel, t: Speech
) -> str:
    if failure.transient:
        return t._(
            "Discord had a problem creating the thread of ticket {ref} ({problem}). Your "
            "ticket is kept; I'll keep trying and post the link here.",
            ref=ticket.ref,
            problem=short(failure, t),
        )
    return t._(
        "Discord refused to create the thread of ticket {ref} ({problem}). Your ticket is "
        "kept and I'll keep trying; ask an admin to check my permissions in {channel} "
        "(`/admin setup` shows what to change).",
        ref=ticket.ref,
        problem=refused(failure, t),
        channel=channel.mention,
    )


def refusal(failure: ThreadNotMade, channel: discord.TextChannel, t: Speech) -> str:
    error = failure.error
    if (
        failure.thread is not None
        and isinstance(error, discord.Forbidden)
        and error.code == MISSING_ACCESS
    ):
        # The thread exists, so the bot could make it: Discord would not add the member,
        # who cannot access the channel (Missing Access).
        return t._(
            "Discord wouldn't add you to the ticket thread: you don't have access to "
            "{channel}. Nothing was saved; ask an admin to check members' permissions there "
            "(`/admin setup` shows what to change), then try again.",
            channel=channel.mention,
        )
    return t._(
        "Discord refused to create the ticket thread ({problem}). Nothing was saved; ask an "
        "admin to check my permissions in {channel}, then try again.",
        problem=refused(failure, t),
        channel=channel.mention,
    )


def refused(failure: ThreadNotMade, t: Speech) -> str:
    """Why Discord refused, in `t`'s words (a missing permission, an error status)."""
    if isinstance(failure.error, discord.Forbidden):
        return t._(
            "missing permission: Create Private Threads, Send Messages in Threads or Manage Threads"
        )
    return short(failure, t)


def short(failure: ThreadNotMade, t: Speech) -> str:
    error = failure.error
    if isinstance(error, discord.HTTPException):
        return t._("error {status}", status=error.status)
    if error is None:
        # Refused by the desk's own check: its words in `t`'s language, if it has them.
        return failure.said(t) if failure.said is not None else failure.reason
    return t._("no answer from Discord in time")
