"""Member text with NUL characters (U+0000): PostgreSQL's text and jsonb cannot hold one,
so core drops them before storage (core.validation.without_nul), the same on every
backend: the ticket opens, the reply is mirrored, the form answer is kept, minus the NULs."""

from __future__ import annotations

import json

import pytest

from core.forms import FormService
from core.models import Attachment
from tests.core.conftest import admin, member

pytestmark = pytest.mark.usefixtures("set_up")


async def test_a_ticket_with_nul_in_subject_and_message_opens_without_them(tickets):
    ticket = await tickets.create(
        member(), subject="Printer\x00 on fire", message="It is\x00 really\x00\x00 on fire."
    )
    assert ticket.subject == "Printer on fire"
    _, page = await tickets.view(member(), ticket.id)
    assert [r.body for r in page.items] == ["It is really on fire."]


async def test_a_thread_message_and_its_edit_with_nul_are_mirrored_without_them(tickets):
    ticket = await tickets.create(member(), subject="s", message="m")
    ticket = await tickets.attach_thread(ticket.id, 900_001, opening_message_id=None)
    stored = await tickets.record_message(
        thread_id=900_001,
        author_id=1,
        author_is_staff=False,
        body="log:\x00\x00 done",
        message_id=5,
        attachments=[Attachment(filename="dump\x00.bin", url="https://cdn.example/x", size=3)],
    )
    assert stored is not None
    _, reply = stored
    assert reply.body == "log: done"
    assert [a.filename for a in reply.attachments] == ["dump.bin"]
    edited = await tickets.record_edit(5, "log:\x00 fixed")
    assert edited is not None and edited.body == "log: fixed"


async def test_a_form_answer_with_nul_is_kept_without_them(store, guilds, clock):
    forms = FormService(store, guilds, clock)
    definition = {
        "title": "Application",
        "questions": [{"id": "why", "label": "Why?", "kind": "paragraph", "required": True}],
    }
    form = await forms.create(admin(), json.dumps(definition))
    submission = await forms.submit(member(), form.id, set(), {"why": "be\x00cause"})
    assert submission.answers == {"why": "because"}
