"""AI answers in ticket threads (SPEC §4) and `/ticket suggest` drafts.

Answers run as background tasks, one at a time per ticket, so a slow model never holds
up the gateway or other tickets. Whether the AI answers is the service's call
(`AIReplyService.should_answer`, after each ticket event); this cog carries out its
instruction: it shows the answer, its buttons, and the hand-off to staff when it can't.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import discord
from discord.ext import commands

from cogs.ai.buttons import answer_buttons, draft_buttons, post_hand_off
from cogs.ai.edit_pace import EditPaces
from cogs.ai.stream import AnswerStream
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import COLOUR_OPEN, clip
from core.ai import AIUnavailable
from core.ai_replies import AnswerWanted, Outcome, Trigger
from core.models import Reply, Ticket
from i18n import N_, Speech

log = logging.getLogger(__name__)

# Said to the member in the thread, after a mention of them ("@Ann: the AI assistant...").
FAILED = N_(
    "{user}: the AI assistant couldn't answer this time, so a human staff member will answer "
    "here as soon as they can. Nothing you wrote is lost."
)
CAPPED = N_(
    "{user}: the AI assistant has answered as much as it can in this ticket, so a human "
    "staff member will take it from here and answer as soon as they can."
)
INTERRUPTED = N_("*(The AI answer was cut off.)*")


class AIReplies(commands.Cog):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.ai = desk.services.ai
        self._running: dict[int, asyncio.Task[None]] = {}
        # Tickets whose member wrote again while an answer was running: answer once more.
        self._again: set[int] = set()
        # Discord's edit budget is per channel: one answer after another in a thread shares it.
        self._paces = EditPaces()

    async def cog_unload(self) -> None:
        for task in list(self._running.values()):
            task.cancel()

    @commands.Cog.listener()
    async def on_ticket_opened(self, ticket: Ticket, thread: discord.Thread) -> None:
        self.carry_out(await self.ai.should_answer(ticket, Trigger.OPENED))

    @commands.Cog.listener()
    async def on_ticket_message(
        self, ticket: Ticket, message: discord.Message, reply: Reply
    ) -> None:
        self.carry_out(await self.ai.should_answer(ticket, Trigger.REPLY, reply))

    def carry_out(self, wanted: AnswerWanted | None) -> None:
        if wanted is not None:
            self.schedule(wanted.ticket_id)

    def schedule(self, ticket_id: int) -> None:
        running = self._running.get(ticket_id)
        if running is not None and not running.done():
            self._again.add(ticket_id)
            return
        self._running[ticket_id] = asyncio.create_task(
            self._answer_loop(ticket_id), name=f"ai-answer-{ticket_id}"
        )

    async def _answer_loop(self, ticket_id: int) -> None:
        try:
            while True:
                self._again.discard(ticket_id)
                await self._answer_once(ticket_id)
                if ticket_id not in self._again:
                    return
        except Exception:
            log.exception("AI answer for ticket %s failed", ticket_id)
        finally:
            self._running.pop(ticket_id, None)

    async def _answer_once(self, ticket_id: int) -> None:
        plan = await self.ai.plan_answer(ticket_id)
        ticket = plan.ticket
        if plan.outcome is Outcome.QUIET or ticket is None:
            return
        if plan.outcome is Outcome.CAPPED or plan.request is None:
            await self._hand_off(ticket, plan.reason, CAPPED)
            return
        thread = await self.desk.thread_of(ticket)
        if thread is None:
            return
        server = self.desk.server_speech(await self.desk.services.guilds.config(ticket.guild_id))
        stream = AnswerStream(thread, t=server, pace=self._paces.of(thread.id, time.monotonic()))
        try:
            with contextlib.suppress(discord.HTTPException):
                await thread.typing()  # the member sees the AI is on it
            async with contextlib.aclosing(self.ai.stream(plan.request)) as deltas:
                async for delta in deltas:
                    await stream.feed(delta)
            if not stream.messages:
                await stream.feed("")  # an empty answer still gets its message
            # On record before the member sees it finished: a restart in between loses nothing.
            await self._record(ticket, stream)
            await stream.finish(view=answer_buttons(ticket.id, server))
        except AIUnavailable as error:
            await self._keep_partial(ticket, stream, server)
            await self._hand_off(ticket, error.reason, FAILED)
            return
        except discord.HTTPException as error:
            log.warning("could not post the AI answer in ticket %s: %s", ticket.id, error)
            await self._hand_off(ticket, "could not post the answer", FAILED)

    async def _record(self, ticket: Ticket, stream: AnswerStream) -> None:
        await self.ai.record_answer(
            ticket.id,
            author_id=self.desk.bot.user.id if self.desk.bot.user else 0,
            text=stream.text,
            message_id=stream.messages[0].id,
        )

    async def _keep_partial(self, ticket: Ticket, stream: AnswerStream, t: Speech) -> None:
        """An answer cut off mid-way stays visible, marked as cut off, and on record."""
        if not stream.messages:
            return
        with contextlib.suppress(discord.HTTPException):
            await stream.finish(note=t._(INTERRUPTED))
        await self._record(ticket, stream)

    async def _hand_off(self, ticket: Ticket, reason: str, told: str) -> None:
        """`told` (FAILED or CAPPED) is said to the member in the server's language."""
        # `reason` is a fixed phrase from the responder: it never holds the API key.
        log.warning("AI could not answer ticket %s (%s); handing it to staff", ticket.id, reason)
        handed = await self.ai.hand_off(ticket.id, reason)
        if handed is None:
            return
        try:
            await post_hand_off(self.desk, handed, told)
        except discord.HTTPException as error:
            log.warning("could not announce the hand-off of ticket %s: %s", ticket.id, error)


async def suggest_reply(desk: TicketDesk, interaction: discord.Interaction, ticket_id: int) -> None:
    """`/ticket suggest`: an AI draft only the staff member sees, with Send and Discard."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    actor, _ = await desk.actor(interaction)
    t = member_speech(interaction)
    ticket, draft = await desk.services.ai.draft(actor, ticket_id)
    if not draft:
        draft = t._("(The AI had nothing to suggest. Please write this reply yourself.)")
    embed = discord.Embed(
        title=t._("AI draft reply for ticket {ref}", ref=ticket.ref),
        description=clip(draft, 4000),
        colour=COLOUR_OPEN,
    )
    embed.set_footer(text=t._("AI answer draft · only you see this · Send posts it as your reply"))
    await interaction.followup.send(embed=embed, view=draft_buttons(ticket.id, t), ephemeral=True)
