"""NoteService (SPEC §12): staff-only notes, kept apart from the conversation.

A note must never reach the member (their view, their DM transcript) nor the AI: the
last test sends a real request through the openai client to FakeOpenAI and looks for the
note's words in everything it received.
"""

from __future__ import annotations

import contextlib
import gzip
import secrets
from collections.abc import AsyncIterator

import pytest

from core.ai import OpenAIResponder
from core.ai_replies import AIReplyService, Outcome
from core.clock import ManualClock
from core.closing import CloseService
from core.errors import FeatureDisabled, Forbidden, InvalidInput, NotFound
from core.guilds import GuildService
from core.models import Feature
from core.notes import NoteService
from core.ports import Store
from core.tickets import TicketService
from core.transcript import NOTES_HEADING, transcript_uploads
from tests.core.conftest import GUILD, admin, member, staff
from tests.core.said import raises_worded
from tests.fakes.openai import FakeOpenAI

pytestmark = pytest.mark.usefixtures("set_up")

SECRET = "Owner is a known chargeback abuser, be careful"
KEY = "sk-notes-test-key"


@pytest.fixture
def notes(store: Store, guilds: GuildService, clock: ManualClock) -> NoteService:
    return NoteService(store, guilds, clock)


async def open_ticket(tickets: TicketService):
    return await tickets.create(member(), subject="Refund", message="Where is my money?")


async def test_staff_add_and_read_notes_in_order(
    notes: NoteService, tickets: TicketService, clock: ManualClock
) -> None:
    ticket = await open_ticket(tickets)
    _, first = await notes.add(staff(), ticket.id, "  Checked the payment logs.  ")
    clock.advance(minutes=5)
    _, second = await notes.add(admin(), ticket.id, "Line one\nLine two")
    assert first.body == "Checked the payment logs." and first.author_id == staff().user_id
    assert second.created_at > first.created_at
    assert [n.body for n in await notes.list(staff(), ticket.id)] == [
        "Checked the payment logs.",
        "Line one\nLine two",
    ]


async def test_a_note_is_not_a_reply_and_moves_nothing(
    notes: NoteService, tickets: TicketService
) -> None:
    ticket = await open_ticket(tickets)
    before = await tickets.get(staff(), ticket.id)
    await notes.add(staff(), ticket.id, SECRET)
    after, replies = await tickets.all_replies(member(), ticket.id)
    assert after == before  # status, first response, AI: all as they were
    assert all(SECRET not in r.body for r in replies)


async def test_members_can_neither_add_nor_read(notes: NoteService, tickets: TicketService) -> None:
    ticket = await open_ticket(tickets)
    await notes.add(staff(), ticket.id, SECRET)
    with raises_worded(Forbidden, "Only staff can add or read staff notes"):
        await notes.add(member(), ticket.id, "let me in")
    with raises_worded(Forbidden, "Only staff can add or read staff notes"):
        await notes.list(member(), ticket.id)


async def test_refusals(notes: NoteService, tickets: TicketService, guilds: GuildService):
    ticket = await open_ticket(tickets)
    with raises_worded(NotFound, "Ticket #999 was not found"):
        await notes.add(staff(), 999, "x")
    with raises_worded(NotFound, f"Ticket #{ticket.id} was not found"):
        await notes.list(staff(guild_id=GUILD + 1), ticket.id)
    with raises_worded(InvalidInput, "text: must not be empty"):
        await notes.add(staff(), ticket.id, "   ")
    with raises_worded(InvalidInput, "text: must be at most 2000 characters"):
        await notes.add(staff(), ticket.id, "x" * 2001)
    await guilds.set_feature(admin(), Feature.TICKETING, False)
    with raises_worded(FeatureDisabled, "Ticketing is disabled"):
        await notes.add(staff(), ticket.id, "x")


async def test_closed_tickets_take_notes_too(notes: NoteService, tickets: TicketService):
    ticket = await open_ticket(tickets)
    await tickets.close(staff(), ticket.id, "done")
    _, note = await notes.add(staff(), ticket.id, "Refund sent after closing.")
    assert note.ticket_id == ticket.id


def _transcript_text(uploads) -> str:
    return "".join(
        (gzip.decompress(data) if name.endswith(".gz") else data).decode()
        for group in uploads
        for name, data in group
    )


async def test_only_the_staff_transcript_carries_notes(
    notes: NoteService, tickets: TicketService, store: Store, clock: ManualClock
) -> None:
    ticket = await open_ticket(tickets)
    await notes.add(staff(), ticket.id, "<b>" + SECRET + "</b>")
    await tickets.close(staff(), ticket.id, None)
    record = await CloseService(store, clock).record(ticket.id)
    assert record is not None
    members_copy = _transcript_text(transcript_uploads(*record))
    assert SECRET not in members_copy and NOTES_HEADING not in members_copy
    staff_notes = await notes.for_staff_transcript(ticket.id)
    staff_copy = _transcript_text(transcript_uploads(*record, notes=staff_notes))
    assert NOTES_HEADING in staff_copy
    assert "&lt;b&gt;" + SECRET in staff_copy  # escaped in the HTML like every member's text
    assert "<b>" + SECRET in staff_copy  # as written in the text file


async def test_a_long_staff_transcript_keeps_the_notes_in_its_last_part(
    notes: NoteService, tickets: TicketService, store: Store, clock: ManualClock
) -> None:
    ticket = await open_ticket(tickets)
    for _ in range(12):
        # Random text: it doesn't shrink much when gzipped, so the transcript is split.
        await tickets.reply(member(), ticket.id, secrets.token_hex(1500))
    await notes.add(staff(), ticket.id, SECRET)
    record = await CloseService(store, clock).record(ticket.id)
    assert record is not None
    staff_notes = await notes.for_staff_transcript(ticket.id)
    parts = transcript_uploads(*record, notes=staff_notes, limit=4000)
    assert len(parts) > 1
    assert [SECRET in _transcript_text([part]) for part in parts] == [False] * (len(parts) - 1) + [
        True
    ]


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=KEY) as server:
        yield server


@pytest.fixture
async def responder(fake: FakeOpenAI) -> AsyncIterator[OpenAIResponder]:
    made = OpenAIResponder(
        api_key=KEY, model="m", base_url=fake.base_url, max_tokens=100, timeout=5.0
    )
    yield made
    await made.aclose()


async def test_a_note_never_reaches_the_ai(
    notes: NoteService,
    tickets: TicketService,
    guilds: GuildService,
    store: Store,
    clock: ManualClock,
    responder: OpenAIResponder,
    fake: FakeOpenAI,
) -> None:
    await guilds.set_feature(admin(), Feature.AI, True)
    ai = AIReplyService(store, guilds, tickets, responder, clock)
    ticket = await open_ticket(tickets)
    await notes.add(staff(), ticket.id, SECRET)
    await tickets.reply(member(), ticket.id, "Any news?")
    await notes.add(staff(), ticket.id, "Second note: " + SECRET)

    plan = await ai.plan_answer(ticket.id)
    assert plan.outcome is Outcome.ANSWER and plan.request is not None
    fake.answer("It is on its way.")
    async with contextlib.aclosing(ai.stream(plan.request)) as deltas:
        assert "".join([d async for d in deltas]) == "It is on its way."
    # A staff draft reads the same conversation.
    fake.answer("Draft.")
    await ai.draft(staff(), ticket.id)

    assert len(fake.requests) == 2
    for request in fake.requests:
        sent = repr(request.messages)
        assert "Where is my money?" in sent and "Any news?" in sent  # the conversation went
        assert "chargeback" not in sent  # and no note did
