"""What the HTTP front end needs from the Discord side, without knowing Discord.

In the bot process, `cogs/runtime/api_side.py` implements it and the Discord work happens
at once; in a process of its own (`python -m api`) there is nobody to wake and the bot
process finds the work in the database on its next poll.
"""

from __future__ import annotations

from typing import Protocol


class DiscordSide(Protocol):
    def ticket_waiting(self) -> None:
        """A ticket was opened and waits for its Discord thread."""

    def outbox_written(self) -> None:
        """Work for Discord (a reply to post in a thread) or a webhook delivery was queued."""


class NoDiscordSide:
    """A separate API process: the bot process polls the database instead."""

    def ticket_waiting(self) -> None:
        return None

    def outbox_written(self) -> None:
        return None
