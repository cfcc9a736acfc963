"""Staff notes (SPEC §12) end to end: stored and shown to staff, never to the member (the
thread, their view, their DM transcript) and never sent to the AI."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, status_of
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.views import Msg
from tests.fakes.openai import FakeOpenAI

SECRET = "Chargeback history: verify the card before refunding"
KEY = "sk-e2e-notes-4c1d"
FOOTER = "Written by an AI assistant"


def attachments_text(messages: list[Msg]) -> str:
    texts = []
    for message in messages:
        for index, attachment in enumerate(message.attachments):
            data = message.attachment_bytes(index)
            if attachment["filename"].endswith(".gz"):
                data = gzip.decompress(data)
            texts.append(data.decode())
    return "\n".join(texts)


@pytest.mark.postgres
async def test_a_note_is_kept_for_staff_and_never_reaches_the_member(desk: Desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    staff, alice = desk.member("staff"), desk.member("alice")
    before = len(desk.messages(thread))

    added = await staff.slash("ticket note", text=SECRET, in_channel=thread)
    assert added.ephemeral and "Staff note added to ticket #1" in added.text
    await desk.next_message("logs", f"{staff.mention} added a staff note to ticket #1")
    assert SECRET not in "\n".join(m.text for m in desk.messages("logs"))
    # Stored with its author, apart from the replies; the thread got nothing.
    assert rows(desk, "SELECT ticket_id, author_id, body FROM staff_notes") == [
        (1, staff.id, SECRET)
    ]
    assert rows(desk, "SELECT COUNT(*) FROM replies") == [(1,)]
    assert len(desk.messages(thread)) == before
    assert status_of(desk, 1) == "open"

    # By number from anywhere, like the other /ticket commands.
    await staff.slash("ticket note", text="Second note.", ticket_id="1")

    staff_view = await staff.slash("ticket view", ticket_id="1")
    assert "🔒 Staff note 1 of 2 · staff only" in staff_view.text
    assert SECRET in staff_view.text and "Second note." in staff_view.text
    member_view = await alice.slash("ticket view", ticket_id="1")
    assert SECRET not in member_view.text and "Staff note" not in member_view.text

    # On close: the staff transcript in the log channel has the notes, the DM has not.
    await alice.slash("ticket close", in_channel=thread)
    log = await desk.next_message("logs", "Ticket #1 was closed")
    assert SECRET in attachments_text([log])
    assert "Staff notes (staff only" in attachments_text([log])
    dms = await desk.wait_for(lambda: desk.dms("alice"), message="the closing DM")
    assert dms[-1].attachments
    assert SECRET not in attachments_text(dms) and "Second note." not in attachments_text(dms)
    assert all(SECRET not in m.text for m in [*dms, *desk.messages(thread)])


async def test_members_cannot_add_or_see_notes(desk: Desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    refused = await desk.member("alice").slash("ticket note", text=SECRET, in_channel=thread)
    assert refused.ephemeral and "Only staff can add or read staff notes" in refused.text
    other = await raw_slash(desk, "bob", "ticket note", text="let me in", ticket_id="1")
    assert "Only staff can add or read staff notes" in other.text
    assert rows(desk, "SELECT COUNT(*) FROM staff_notes") == [(0,)]


async def test_a_refused_note_is_given_back(desk: Desk):
    await set_up(desk)
    long_note = "Called the customer; " + "details " * 20
    refused = await desk.member("staff").slash("ticket note", text=long_note, ticket_id="42")
    assert "Ticket #42 was not found" in refused.text
    assert long_note.strip() in refused.text
    outside = await desk.member("staff").slash("ticket note", text="x")
    assert "inside a ticket's thread, or give the ticket number" in outside.text


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=KEY) as fake:
        yield fake


async def test_the_ai_is_never_sent_a_note(desk_factory, model: FakeOpenAI):
    desk = await desk_factory(
        {
            "OPENAI_BASE_URL": model.base_url,
            "OPENAI_API_KEY": KEY,
            "AI_MODEL": "fake-model",
            "AI_TIMEOUT_SECONDS": "2",
        }
    )
    await set_up(desk)
    await desk.member("admin").slash("admin feature", name="ai", enabled=True)
    _, thread = await open_ticket(desk, message="My refund never came.")

    def ai_answers(count: int):
        done = [m for m in desk.bot_messages(thread) if FOOTER in m.text]
        return done if len(done) >= count else None

    await desk.wait_for(lambda: ai_answers(1), 10, "the first AI answer")
    await desk.member("staff").slash("ticket note", text=SECRET, in_channel=thread)
    await desk.member("alice").say(thread, "Any news on my refund?")
    await desk.wait_for(lambda: ai_answers(2), 10, "the second AI answer")

    assert len(model.requests) == 2
    sent = repr([request.body for request in model.requests])
    assert "Any news on my refund?" in sent  # the conversation goes to the AI
    assert "Chargeback" not in sent  # a note never does
