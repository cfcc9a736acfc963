"""When making a ticket's thread fails: what kind of failure it is, and what the member
is told about it (the ticket is kept, retried, or taken back)."""

from __future__ import annotations

import logging

import aiohttp
import discord

from core.models import Ticket

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
    ) -> None:
        super().__init__(reason)
        self.reason = reason
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


# -- what the member is told --------------------------------------------------------------


def delayed(ticket: Ticket) -> str:
    return (
        f"Your ticket {ticket.ref} is saved, but Discord is making me wait before I can create "
        "its thread (it is limiting how fast threads are made). I'll post the link here as "
        "soon as it exists; you don't need to do anything."
    )


def will_retry(ticket: Ticket, failure: ThreadNotMade) -> str:
    return (
        f"Your ticket {ticket.ref} is saved, but Discord had a problem creating its thread "
        f"({_short(failure)}). I'll try again shortly and post the link here; you don't need "
        "to do anything."
    )


def still_waiting(ticket: Ticket, failure: ThreadNotMade, channel: discord.TextChannel) -> str:
    if failure.transient:
        return (
            f"Discord had a problem creating the thread of ticket {ticket.ref} "
            f"({_short(failure)}). Your ticket is kept; I'll keep trying and post the link "
            "here."
        )
    return (
        f"Discord refused to create the thread of ticket {ticket.ref} ({_refused(failure)}). "
        f"Your ticket is kept and I'll keep trying; ask an admin to check my permissions in "
        f"{channel.mention} (`/admin setup` shows what to change)."
    )


def refusal(failure: ThreadNotMade, channel: discord.TextChannel) -> str:
    error = failure.error
    if (
        failure.thread is not None
        and isinstance(error, discord.Forbidden)
        and error.code == MISSING_ACCESS
    ):
        # The thread exists, so the bot could make it: Discord would not add the member,
        # who cannot access the channel (Missing Access).
        return (
            f"Discord wouldn't add you to the ticket thread: you don't have access to "
            f"{channel.mention}. Nothing was saved; ask an admin to check members' "
            "permissions there (`/admin setup` shows what to change), then try again."
        )
    return (
        f"Discord refused to create the ticket thread ({_refused(failure)}). Nothing was "
        f"saved; ask an admin to check my permissions in {channel.mention}, then try again."
    )


def _refused(failure: ThreadNotMade) -> str:
    if isinstance(failure.error, discord.Forbidden):
        return (
            "missing permission: Create Private Threads, Send Messages in Threads or Manage Threads"
        )
    return _short(failure)


def _short(failure: ThreadNotMade) -> str:
    error = failure.error
    if isinstance(error, discord.HTTPException):
        return f"error {error.status}"
    if error is None:
        return failure.reason
    return "no answer from Discord in time"
