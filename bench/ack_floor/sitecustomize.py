"""Loaded into the bot process only by the benchmark's ack-floor run (BENCH_ACK_FLOOR=1).

/ticket create then defers and answers at once, with no database or thread work: what is
left of its latency is discord.py and the fake Discord on this machine, the floor under the
real bot's figure. Python imports `sitecustomize` from PYTHONPATH at start-up.
"""

from __future__ import annotations

import os

if os.environ.get("BENCH_ACK_FLOOR") == "1":
    import discord

    import cogs.tickets.opener
    from cogs.shared.text import send_ephemeral

    async def _answer_only(
        self: cogs.tickets.opener.ThreadOpener,
        interaction: discord.Interaction,
        **fields: object,
    ) -> None:
        # Links a channel as the real answer links the thread: that is what the fake times.
        await send_ephemeral(
            interaction,
            f"Ticket #0 is open: <#{interaction.channel_id}> (benchmark floor: no work done)",
        )

    cogs.tickets.opener.ThreadOpener.open_ticket = _answer_only
