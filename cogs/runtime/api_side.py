"""The Discord side of the HTTP API when it runs inside the bot process.

The API knows no Discord (api/ports.py `DiscordSide`); here its nudges become bot events,
so the cogs that do the work (the thread opener, the outbox drainer) act at once instead
of on their next poll. Listeners keep this module from importing the feature packages.
"""

from __future__ import annotations

import discord

# Event names (discord.py adds the `on_` prefix for listeners).
TICKET_WAITING = "ticket_waiting"
OUTBOX_WRITTEN = "outbox_written"


class BotDiscordSide:
    def __init__(self, bot: discord.Client) -> None:
        self._bot = bot

    def ticket_waiting(self) -> None:
        self._bot.dispatch(TICKET_WAITING)

    def outbox_written(self) -> None:
        self._bot.dispatch(OUTBOX_WRITTEN)
