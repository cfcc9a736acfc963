"""When the AI may answer a ticket, what it is told, and what happens with its answer.

The rules of SPEC §4 live here so every front end obeys them: the `ai` flag, the
ticket's own switch (`ai_active`, off after a human takeover or "Talk to a human"),
and the caps per ticket and per guild per UTC day that bound cost. The AI never acts on
a ticket by itself: its text is stored as a reply, and only the buttons a person clicks
("This solved it", "Talk to a human") change the ticket.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum

from core.ai import AIRequest, AIResponder, AITurn, AIUnavailable
from core.clock import Clock
from core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    LimitReached,
    NotConfigured,
)
from core.guilds import GuildService
from core.models import (
    Actor,
    AuthorKind,
    Feature,
    Reply,
    Status,
    StoredReply,
    Ticket,
)
from core.policy import require_staff
from core.ports import Store
from core.tickets import TicketService

log = logging.getLogger(__name__)

PER_TICKET_CAP = 5
PER_GUILD_DAILY_CAP = 200


class DraftUnavailable(DomainError):
    """The model gave no draft (timeout, rate limit, ...); safe to show to staff."""


class Trigger(StrEnum):
    """What just happened to a ticket, as far as the AI is concerned."""

    OPENED = "opened"  # its thread now exists, with the opening message in it
    REPLY = "reply"  # a reply was stored (typed in the thread, or through any front end)


@dataclass(frozen=True)
class AnswerWanted:
    """The instruction `should_answer` gives: the front end that holds the ticket's thread
    streams an AI answer there now (`plan_answer`, `stream`, `record_answer`)."""

    ticket_id: int


class Outcome(StrEnum):
    ANSWER = "answer"  # the AI may answer now, with `request`
    QUIET = "quiet"  # the AI stays out of it (flag off, human takeover, closed...)
    CAPPED = "capped"  # a cap is reached: hand the ticket to staff


@dataclass(frozen=True)
class AnswerPlan:
    outcome: Outcome
    ticket: Ticket | None = None
    request: AIRequest | None = None
    reason: str = ""


class AIReplyService:
    def __init__(
        self,
        store: Store,
        guilds: GuildService,
        tickets: TicketService,
        responder: AIResponder | None,
        clock: Clock,
        *,
        per_ticket_cap: int = PER_TICKET_CAP,
        per_guild_daily_cap: int = PER_GUILD_DAILY_CAP,
    ) -> None:
        self._store = store
        self._guilds = guilds
        self._tickets = tickets
        self._responder = responder
        self._clock = clock
        self.per_ticket_cap = per_ticket_cap
        self.per_guild_daily_cap = per_guild_daily_cap

    async def aclose(self) -> None:
        closer = getattr(self._responder, "aclose", None)
        if closer is not None:
            await closer()

    # -- answering in the thread -------------------------------------------------------

    async def should_answer(
        self, ticket: Ticket, trigger: Trigger, reply: Reply | None = None
    ) -> AnswerWanted | None:
        """Whether the AI answers now, after `trigger` (with the stored `reply`).

        The one rule every front end follows: the AI is configured and switched on (flags
        `ai` and `ticketing`), the ticket is open to it (`ai_active`: not urgent, no staff
        takeover, no "Talk to a human"), not closed, its thread exists to answer in, and
        the event is the opening or a member's message (staff, system notes and the AI's
        own answers never ask for one). Caps are checked, and an answer of the day
        reserved, by `plan_answer` when the answer starts.
        """
        if trigger is Trigger.REPLY and (
            reply is None or reply.author_kind is not AuthorKind.MEMBER
        ):
            return None
        if ticket.thread_id is None:
            return None  # waiting for its thread: the opening asks once it exists
        if await self._quiet_reason(ticket):
            return None
        return AnswerWanted(ticket.id)

    async def plan_answer(self, ticket_id: int) -> AnswerPlan:
        """Decide whether the AI answers this ticket now; reserves one answer of the day."""
        ticket = await self._store.reads.tickets.get(ticket_id)
        if ticket is None:
            return AnswerPlan(Outcome.QUIET, reason="no such ticket")
        quiet = await self._quiet_reason(ticket)
        if quiet:
            log.debug("AI quiet in ticket %s: %s", ticket.id, quiet)
            return AnswerPlan(Outcome.QUIET, ticket, reason=quiet)
        if ticket.ai_replies >= self.per_ticket_cap:
            return AnswerPlan(Outcome.CAPPED, ticket, reason="per-ticket cap reached")
        if not await self._reserve_daily(ticket.guild_id):
            return AnswerPlan(Outcome.CAPPED, ticket, reason="daily cap reached")
        request = await self._request_for(ticket, mode="answer")
        return AnswerPlan(Outcome.ANSWER, ticket, request)

    async def _quiet_reason(self, ticket: Ticket) -> str:
        if self._responder is None:
            return "AI not configured"
        if not ticket.ai_active:
            return "AI not active in this ticket"
        if ticket.status is Status.CLOSED:
            return "ticket closed"
        flags = await self._guilds.flags(ticket.guild_id)
        if not flags.is_on(Feature.AI) or not flags.is_on(Feature.TICKETING):
            return "feature off"
        return ""

    def stream(self, request: AIRequest) -> AsyncIterator[str]:
        """The answer as text deltas; raises AIUnavailable (also when not configured)."""
        if self._responder is None:
            raise AIUnavailable("not configured")
        return self._responder.stream(request)

    async def record_answer(
        self, ticket_id: int, *, author_id: int, text: str, message_id: int | None
    ) -> Ticket | None:
        result = await self._tickets.record_ai_reply(
            ticket_id, author_id=author_id, body=text, message_id=message_id
        )
        return None if result is None else result[0]

    async def hand_off(self, ticket_id: int, reason: str) -> Ticket | None:
        """The AI can't go on (failure or cap): the ticket goes to staff, status `open`."""
        log.info("AI handed ticket %s to staff: %s", ticket_id, reason)
        result = await self._tickets.hand_off_to_staff(ticket_id)
        return None if result is None else result[0]

    # -- the buttons under an AI answer ------------------------------------------------

    async def request_human(self, actor: Actor, ticket_id: int) -> tuple[Ticket, bool]:
        """The "Talk to a human" button: AI off for this ticket, status `open`; owner or staff."""
        return await self._tickets.hand_off(actor, ticket_id)

    async def mark_solved(self, actor: Actor, ticket_id: int) -> Ticket:
        """The "This solved it" button: only the member who asked can accept the answer."""
        ticket = await self._tickets.get(actor, ticket_id)
        if actor.user_id != ticket.owner_id:
            raise Forbidden("ai.solved_by_owner_only", ticket_id=ticket.id)
        return await self._tickets.resolve(actor, ticket_id)

    # -- drafts for staff (the suggest command) -----------------------------------------

    async def send_draft(self, actor: Actor, ticket_id: int, text: str) -> StoredReply:
        """A draft's Send button: staff only, like asking for a draft, whoever clicks it
        (a replayed or forged click, or a member who has lost the staff role since).
        Stored as the staff member's own reply, so the AI steps back."""
        require_staff(actor, "staff_only.send_draft")
        if not text.strip():
            raise InvalidInput("draft", "ai.draft_empty")
        return await self._tickets.store_reply(actor, ticket_id, text)

    async def draft(self, actor: Actor, ticket_id: int) -> tuple[Ticket, str]:
        """A reply drafted by the AI for a staff member to review; nothing is posted."""
        ticket = await self._tickets.get(actor, ticket_id)
        require_staff(actor, "staff_only.draft")
        await self._guilds.require_feature(actor.guild_id, Feature.AI)
        if self._responder is None:
            raise NotConfigured("ai.not_configured")
        if ticket.status is Status.CLOSED:
            raise InvalidInput("ticket", "ticket.closed_reopen_first", ticket_id=ticket.id)
        if not await self._reserve_daily(ticket.guild_id):
            raise LimitReached("ai.daily_cap", cap=self.per_guild_daily_cap)
        request = await self._request_for(ticket, mode="suggest")
        try:
            async with contextlib.aclosing(self._responder.stream(request)) as deltas:
                text = "".join([delta async for delta in deltas]).strip()
        except AIUnavailable as error:
            raise DraftUnavailable("ai.draft_unavailable", reason=error.reason) from None
        return ticket, text

    # -- helpers -----------------------------------------------------------------------

    async def _reserve_daily(self, guild_id: int) -> bool:
        day = self._clock.now().astimezone(UTC).date().isoformat()
        cap = self.per_guild_daily_cap
        return await self._store.write(
            lambda uow: uow.ai_usage.reserve_daily_answer(guild_id, day, cap)
        )

    async def _request_for(self, ticket: Ticket, *, mode: str) -> AIRequest:
        replies, _ = await self._store.reads.replies.page(ticket.id)
        config = await self._guilds.config(ticket.guild_id)
        return AIRequest(
            subject=ticket.subject,
            first_message=ticket.message,
            department=ticket.department.value,
            turns=tuple(conversation_turns(ticket, replies)),
            knowledge=config.ai_knowledge,
            language=ticket.language or config.language,
            mode=mode,  # type: ignore[arg-type]
        )


def conversation_turns(ticket: Ticket, replies: list[Reply]) -> list[AITurn]:
    """The replies after the opening message, as turns; system notes are left out.

    A member's words only ever become `member` turns (user content), never instructions.
    """
    turns = []
    for index, reply in enumerate(replies):
        opening = index == 0 and reply.author_kind is AuthorKind.MEMBER
        if opening and reply.body == ticket.message:
            continue  # sent separately as the ticket's opening
        if reply.author_kind is AuthorKind.SYSTEM:
            continue
        text = reply.body
        if reply.attachments:
            names = ", ".join(a.filename for a in reply.attachments)
            text = f"{text}\n(attached files: {names})"
        turns.append(AITurn(role=reply.author_kind.value, text=text))  # type: ignore[arg-type]
    return turns
