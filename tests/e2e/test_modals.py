"""Modals: each one belongs to the member it was shown to, survives a restart or a long
pause, and a refusal after one gives back everything the member typed."""

from __future__ import annotations

import asyncio
import copy
import csv
import io
import json

import pytest

from tests.e2e.helpers import open_ticket, rows, set_up, status_of
from tests.e2e.test_forms import PAGE_ONE, PAGE_TWO, create_form, review_message, seven_questions
from tests.fakes.discord.driver import Desk, Person, Reply
from tests.fakes.discord.views import Modal

FORM_TTL = 3.0  # seconds a form session lives in the bot started with the env below
SUBJECT, MESSAGE = "Subject", "What do you need help with?"


def given_back(reply: Reply) -> str:
    """Everything the member can read in a refusal: its text and any text file attached."""
    parts = [reply.text]
    for message in ([reply.message] if reply.message else []) + reply.followups:
        for index, attachment in enumerate(message.attachments):
            if attachment["filename"].endswith(".txt"):
                parts.append(message.attachment_bytes(index).decode())
    return "\n".join(parts)


async def post_panel(desk: Desk):
    await desk.member("admin").slash("admin panel", channel="general")
    return await desk.next_message("general", "Need help?")


def ticket_texts(desk: Desk) -> dict[int, tuple[str, str]]:
    """owner id -> (subject, first message) of every ticket."""
    found = rows(
        desk,
        "SELECT t.owner_id, t.subject, r.body FROM tickets t JOIN replies r "
        "ON r.ticket_id = t.id AND r.id = (SELECT MIN(id) FROM replies WHERE ticket_id = t.id)",
    )
    return {owner: (subject, body) for owner, subject, body in found}


# -- the panel's modal is each member's own -------------------------------------------------


@pytest.mark.postgres
async def test_panel_modals_opened_by_two_members_interleaved(desk: Desk) -> None:
    await set_up(desk)
    panel = await post_panel(desk)
    alice, bob = desk.member("alice"), desk.member("bob")
    alice_modal = await alice.click(panel, "Open a ticket")
    bob_modal = await bob.click(panel, "Open a ticket")
    bob_done = await bob.submit_modal(bob_modal, {SUBJECT: "Bob's VPN", MESSAGE: "Bob text"})
    assert "Ticket #1 is open" in bob_done.text, bob_done.text
    # Alice takes a moment longer: Bob's submit is finished with when hers arrives.
    await desk.next_message("logs", "Ticket #1 opened")
    await bob.slash("ticket list")
    alice_done = await alice.submit_modal(
        alice_modal, {SUBJECT: "Alice's printer", MESSAGE: "Alice text"}
    )
    assert "Ticket #2 is open" in alice_done.text, alice_done.text
    assert ticket_texts(desk) == {
        bob.id: ("Bob's VPN", "Bob text"),
        alice.id: ("Alice's printer", "Alice text"),
    }


async def test_panel_modals_submitted_at_the_same_moment(desk: Desk) -> None:
    await set_up(desk)
    panel = await post_panel(desk)
    people = [desk.member(name) for name in ("alice", "bob", "billing")]
    modals = [await person.click(panel, "Open a ticket") for person in people]
    done = await asyncio.gather(
        *(
            person.submit_modal(modal, {SUBJECT: f"From {person.name}", MESSAGE: person.name})
            for person, modal in zip(people, modals, strict=True)
        )
    )
    assert all("is open" in reply.text for reply in done), [r.text for r in done]
    assert ticket_texts(desk) == {p.id: (f"From {p.name}", p.name) for p in people}


async def test_close_reason_modals_of_two_staff_interleaved(desk: Desk) -> None:
    await set_up(desk)
    _, thread = await open_ticket(desk)
    opening = await desk.next_message(thread, "New ticket #1")
    staff, alice = desk.member("staff"), desk.member("alice")
    staff_modal = await staff.click(await staff.click(opening, "Close"), "Close with a reason…")
    alice_modal = await alice.click(await alice.click(opening, "Close"), "Close with a reason…")
    done = await alice.submit_modal(alice_modal, {"Reason": "Works again"})
    assert "Ticket #1 is closed" in done.text
    late_reason = "Fixed by the firmware update, see the notes in the wiki"
    late = await staff.submit_modal(staff_modal, {"Reason": late_reason})
    assert late.ephemeral and "already closed" in late.text, late.text
    assert late_reason in given_back(late)
    assert rows(desk, "SELECT close_reason, closed_by FROM tickets") == [("Works again", alice.id)]


# -- a modal outlives the bot process that showed it ----------------------------------------


async def test_panel_and_close_modals_answer_after_a_restart(desk: Desk) -> None:
    await set_up(desk)
    panel = await post_panel(desk)
    alice = desk.member("alice")
    modal = await alice.click(panel, "Open a ticket")
    _, thread = await open_ticket(desk, "bob")
    opening = await desk.next_message(thread, "New ticket #1")
    staff = desk.member("staff")
    reason_modal = await staff.click(await staff.click(opening, "Close"), "Close with a reason…")
    await desk.restart_bot()
    done = await alice.submit_modal(modal, {SUBJECT: "Typed over a restart", MESSAGE: "Still here"})
    assert "Ticket #2 is open" in done.text, done.text
    assert ticket_texts(desk)[alice.id] == ("Typed over a restart", "Still here")
    closed = await staff.submit_modal(reason_modal, {"Reason": "Answered by phone"})
    assert "Ticket #1 is closed" in closed.text, closed.text
    assert rows(desk, "SELECT close_reason FROM tickets WHERE id = 1") == [("Answered by phone",)]


async def test_comment_and_reject_modals_answer_after_a_restart(desk: Desk) -> None:
    await set_up(desk)
    _, thread = await open_ticket(desk)
    await desk.member("staff").slash("ticket close", in_channel=thread)
    alice = desk.member("alice")
    dm = (await desk.wait_for(lambda: desk.dms("alice")))[-1]
    thanks = await alice.click(dm, "★★★★")
    comment_modal = await alice.click(thanks, "Add a comment")
    form_id = await create_form(desk, seven_questions(questions=seven_questions()["questions"][:1]))
    applied = await alice.submit_modal(
        await alice.slash("forms submit", form=str(form_id)), {"Your name": "Alice"}
    )
    assert "Thank you" in applied.text
    staff = desk.member("staff")
    reject_modal = await staff.click(review_message(desk, "#1"), "Reject")
    await desk.restart_bot()
    saved = await alice.submit_modal(comment_modal, {"Your comment": "Quick and kind"})
    assert "saved" in saved.text, saved.text
    assert rows(desk, "SELECT rating, comment FROM feedback") == [(4, "Quick and kind")]
    rejected = await staff.submit_modal(reject_modal, {"Reason (sent to the member)": "Too new"})
    await desk.wait_for(lambda: rejected.followups, message="the note to the reviewer")
    assert rows(desk, "SELECT status, review_note FROM submissions") == [("rejected", "Too new")]


async def test_a_modal_shown_by_an_older_bot_gives_the_text_back(desk: Desk) -> None:
    await set_up(desk)
    panel = await post_panel(desk)
    alice = desk.member("alice")
    shown = (await alice.click(panel, "Open a ticket")).modal
    # Before this fix the panel's modal was "panel:modal:0" with random input ids; one left
    # open across the upgrade arrives like this.
    data = copy.deepcopy(shown.data)
    data["custom_id"] = "panel:modal:0"
    random_ids = iter(("8dc97adc6903c2848b23ad9cdfc04ba2", "20763ede3594e0b4977924d3dbdad20d"))
    for row in data["components"]:
        for item in row["components"]:
            item["custom_id"] = next(random_ids)
    old = Modal(data, shown.interaction)
    text = "The printer on floor 3 prints everything twice since Monday."
    reply = await alice.submit_modal(old, {SUBJECT: "Printer", MESSAGE: text})
    assert reply.ephemeral and "open it again" in reply.text, reply.text
    assert text in given_back(reply)
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]


# -- a form page that takes longer than the session, or outlives the bot ---------------------


async def start_two_pages(desk: Desk) -> tuple[int, Person, Reply]:
    await set_up(desk)
    form_id = await create_form(desk)
    alice = desk.member("alice")
    opened = await alice.slash("forms submit", form=str(form_id))
    assert opened.modal.title == "Moderator application (1/2)"
    return form_id, alice, opened


def stored_answers(desk: Desk) -> dict:
    return json.loads(rows(desk, "SELECT answers FROM submissions")[0][0])


@pytest.mark.bot_env(TICKETDESK_FORM_SESSION_SECONDS=FORM_TTL)
async def test_a_form_page_that_takes_longer_than_the_session_is_kept(desk: Desk) -> None:
    _, alice, opened = await start_two_pages(desk)
    saved = await alice.submit_modal(opened, PAGE_ONE)
    second = await alice.click(saved, "Continue")
    # Nothing to wait for here but time itself: the member takes longer over the page than
    # a session lives idle, measured by the bot on the monotonic clock (as was discord.py's
    # timeout of the page's modal).
    await asyncio.sleep(FORM_TTL + 0.5)
    done = await alice.submit_modal(second, PAGE_TWO)
    assert "Thank you" in done.text, done.text
    answers = stored_answers(desk)
    assert answers["name"] == "Alice" and answers["site"] == "https://alice.example"


@pytest.mark.bot_env(TICKETDESK_FORM_SESSION_SECONDS=FORM_TTL)
async def test_an_idle_application_still_expires(desk: Desk) -> None:
    _, alice, opened = await start_two_pages(desk)
    saved = await alice.submit_modal(opened, PAGE_ONE)
    await asyncio.sleep(FORM_TTL + 0.5)  # idle between pages, no modal open: time runs
    expired = await alice.click(saved, "Continue")
    assert "Start again with `/forms submit`" in expired.text, expired.text


async def test_a_form_page_submitted_after_a_restart_is_kept(desk: Desk) -> None:
    _, alice, opened = await start_two_pages(desk)
    saved = await alice.submit_modal(opened, PAGE_ONE)
    second = await alice.click(saved, "Continue")
    await desk.restart_bot()
    kept = await alice.submit_modal(second, PAGE_TWO)
    # The first page lived only in the old process: the member is told and asked again.
    assert "page 2 of 2 saved" in kept.text and "page 1" in kept.text, kept.text
    again = await alice.click(kept, "Continue")
    assert again.modal.title == "Moderator application (1/2)"
    done = await alice.submit_modal(again, PAGE_ONE)
    assert "Thank you" in done.text, done.text
    answers = stored_answers(desk)
    assert answers["email"] == "alice@example.com" and answers["site"] == "https://alice.example"


async def test_a_refused_form_gives_back_every_answer(desk: Desk) -> None:
    form_id, alice, opened = await start_two_pages(desk)
    saved = await alice.submit_modal(opened, PAGE_ONE)
    second = await alice.click(saved, "Continue")
    await desk.member("admin").slash("forms close", form=str(form_id))
    # A long link: together the answers no longer fit in a message, so they come as a file.
    link = "https://alice.example/" + "a" * 1970
    refused = await alice.submit_modal(second, PAGE_TWO | {"Your website": link})
    assert "closed" in refused.text, refused.text
    assert refused.visible is not None and refused.visible.attachments
    everything = given_back(refused)
    for typed in ("Alice", "alice@example.com", link):
        assert typed in everything, everything
    assert rows(desk, "SELECT COUNT(*) FROM submissions") == [(0,)]


# -- refusals give back all of it ------------------------------------------------------------


async def test_refusals_give_back_all_4000_characters(desk: Desk) -> None:
    await set_up(desk, cooldown=3600)
    alice = desk.member("alice")
    _, thread = await open_ticket(desk)
    long_text = "".join(f"line {n:04d} of what went wrong\n" for n in range(200))[:3999] + "!"
    assert len(long_text) == 4000
    refused = await alice.slash("ticket create", subject="Again", message=long_text)
    assert refused.ephemeral and "wait" in refused.text, refused.text
    assert long_text in given_back(refused) and "Again" in given_back(refused)
    panel = await post_panel(desk)
    modal = await alice.click(panel, "Open a ticket")
    refused = await alice.submit_modal(modal, {SUBJECT: "From the panel", MESSAGE: long_text})
    assert refused.ephemeral and "wait" in refused.text, refused.text
    assert long_text in given_back(refused) and "From the panel" in given_back(refused)
    await desk.member("staff").slash("ticket close", in_channel=thread)
    refused = await alice.slash("ticket reply", ticket_id="1", message=long_text)
    assert refused.ephemeral and "closed" in refused.text, refused.text
    assert long_text in given_back(refused)
    assert status_of(desk, 1) == "closed" and rows(desk, "SELECT COUNT(*) FROM tickets") == [(1,)]


async def test_a_late_reject_reason_is_given_back(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk, seven_questions(questions=seven_questions()["questions"][:1]))
    alice = desk.member("alice")
    await alice.submit_modal(
        await alice.slash("forms submit", form=str(form_id)), {"Your name": "Alice"}
    )
    staff, admin = desk.member("staff"), desk.member("admin")
    asked = await staff.click(review_message(desk, "#1"), "Reject")
    await admin.click(review_message(desk, "#1"), "Accept")
    reason = "Please apply again once you have been a member for a month or more"
    late = await staff.submit_modal(asked, {"Reason (sent to the member)": reason})
    await desk.wait_for(lambda: late.followups, message="the answer to the late reviewer")
    assert "already accepted" in late.text, late.text
    assert reason in given_back(late)
    assert rows(desk, "SELECT status FROM submissions") == [("accepted",)]


# -- the CSV export ---------------------------------------------------------------------------


async def test_export_escapes_formulas_in_the_review_note(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk, seven_questions(questions=seven_questions()["questions"][:1]))
    alice = desk.member("alice")
    await alice.submit_modal(
        await alice.slash("forms submit", form=str(form_id)), {"Your name": "-2+3"}
    )
    staff = desk.member("staff")
    asked = await staff.click(review_message(desk, "#1"), "Reject")
    note = '=HYPERLINK("https://evil.example","Click")'
    await staff.submit_modal(asked, {"Reason (sent to the member)": note})
    await desk.wait_for(lambda: rows(desk, "SELECT status FROM submissions") == [("rejected",)])
    exported = await staff.slash("forms export", form=str(form_id))
    _, data = exported.visible.attachment_named(".csv")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["note"] == "'" + note
    assert cells["Your name"] == "'-2+3"
