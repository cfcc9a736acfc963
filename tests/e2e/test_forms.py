"""Application forms end to end: admins define, members apply in native modals, staff review."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from cogs.forms.sessions import SESSION_TTL_SECONDS, SessionStore
from core.form_models import Form
from core.form_schema import parse_definition
from tests.e2e.helpers import rows, set_up
from tests.fakes.discord.driver import Desk, Person, Reply

# Rules that differ by backend: every test here runs on PostgreSQL too.
pytestmark = pytest.mark.postgres

TEXT_INPUT, STRING_SELECT, LABEL, FILE_UPLOAD, CHECKBOX = 4, 3, 18, 19, 23
FLAG_OFF = (
    "Applications is disabled on this server. An admin can turn it on with "
    "`/admin feature name:applications enabled:True`."
)


def seven_questions(**overrides: Any) -> dict[str, Any]:
    """A form of seven questions: two modals (5 + 2)."""
    return {
        "title": "Moderator application",
        "description": "Tell us about yourself.",
        "max_submissions_per_user": 2,
        "questions": [
            {"id": "name", "label": "Your name", "kind": "short_text", "required": True,
             "min_length": 2, "max_length": 60},
            {"id": "age", "label": "Your age", "kind": "number", "required": True,
             "min_value": 13, "max_value": 120},
            {"id": "email", "label": "Your email", "kind": "email", "required": True},
            {"id": "tz", "label": "Your timezone", "kind": "choice", "required": True,
             "choices": ["UTC-5", "UTC", "UTC+1"]},
            {"id": "areas", "label": "Where to help", "kind": "multi_choice",
             "required": True, "choices": ["Moderation", "Events", "Tickets"]},
            {"id": "site", "label": "Your website", "kind": "url"},
            {"id": "rules", "label": "I read the rules", "kind": "checkbox", "required": True},
        ],
    } | overrides  # fmt: skip


PAGE_ONE = {
    "Your name": "Alice",
    "Your age": "30",
    "Your email": "alice@example.com",
    "Your timezone": ["UTC"],
    "Where to help": ["Events", "Moderation"],
}
PAGE_TWO = {"Your website": "https://alice.example", "I read the rules": True}


def definition_file(definition: dict[str, Any]) -> tuple[str, bytes]:
    return ("form.json", json.dumps(definition).encode())


async def create_form(desk: Desk, definition: dict[str, Any] | None = None) -> int:
    reply = await desk.member("admin").slash(
        "forms create", definition=definition_file(definition or seven_questions())
    )
    assert "created" in reply.text, reply.text
    return int(reply.text.split("Form #", 1)[1].split(" ", 1)[0])


async def apply(person: Person, form_id: int, page_one=PAGE_ONE, page_two=PAGE_TWO) -> Reply:
    """Fill in the seven-question form: modal, Continue, modal; returns the last answer."""
    opened = await person.slash("forms submit", form=str(form_id))
    assert opened.modal.title == "Moderator application (1/2)"
    saved = await person.submit_modal(opened, page_one)
    assert "page 1 of 2 saved" in saved.text, saved.text
    second = await person.click(saved, "Continue")
    assert second.modal.title == "Moderator application (2/2)"
    return await person.submit_modal(second, page_two)


async def note_to_reviewer(desk: Desk, reply: Reply) -> str:
    """A review click edits the review message, then tells the reviewer (ephemerally)."""
    followups = await desk.wait_for(lambda: reply.followups, message="the note to the reviewer")
    assert followups[-1].ephemeral
    return followups[-1].text


def review_message(desk: Desk, ref: str):
    return next(m for m in desk.bot_messages("reviews") if f"Application {ref}" in m.text)


async def test_seven_questions_over_two_modals_reach_review_channel(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    alice = desk.member("alice")
    done = await apply(alice, form_id)
    assert "Thank you" in done.text and "#1" in done.text
    posted = review_message(desk, "#1")
    for text in ("Alice", "30", "alice@example.com", "UTC", "Moderation, Events", "✅ Yes"):
        assert text in posted.text
    assert posted.buttons == ["Accept", "Reject"]
    answers = json.loads(rows(desk, "SELECT answers FROM submissions")[0][0])
    assert answers["age"] == 30 and answers["areas"] == ["Moderation", "Events"]
    logs = await desk.next_message("logs", "New application #1")
    assert alice.mention in logs.text


async def test_questions_use_native_components(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    alice = desk.member("alice")
    opened = await alice.slash("forms submit", form=str(form_id))
    assert {top["type"] for top in opened.modal.data["components"]} == {LABEL}
    kinds = {label: item["type"] for label, item in opened.modal.inputs}
    assert kinds == {
        "Your name": TEXT_INPUT,
        "Your age": TEXT_INPUT,
        "Your email": TEXT_INPUT,
        "Your timezone": STRING_SELECT,
        "Where to help": STRING_SELECT,
    }
    areas = dict(opened.modal.inputs)["Where to help"]
    assert areas["max_values"] == 3 and [o["value"] for o in areas["options"]] == [
        "Moderation",
        "Events",
        "Tickets",
    ]
    second = await alice.click(await alice.submit_modal(opened, PAGE_ONE), "Continue")
    assert dict(second.modal.inputs)["I read the rules"]["type"] == CHECKBOX


async def test_bad_definitions_are_refused_by_field_path_and_template_works(desk: Desk) -> None:
    await set_up(desk)
    admin = desk.member("admin")
    long_label = seven_questions()
    long_label["questions"][3]["label"] = "x" * 46
    reply = await admin.slash("forms create", definition=definition_file(long_label))
    assert reply.ephemeral and "questions[3].label: at most 45 characters" in reply.text
    typo = seven_questions(titel="oops")
    reply = await admin.slash("forms create", definition=definition_file(typo))
    assert "titel: unknown key" in reply.text and "'title'" in reply.text
    reply = await admin.slash("forms create", definition=("form.json", b"{not json"))
    assert "definition: not valid JSON (line 1" in reply.text
    assert rows(desk, "SELECT COUNT(*) FROM forms") == [(0,)]

    template = await admin.slash("forms template")
    _, data = template.visible.attachment_named(".json")
    kinds = {q["kind"] for q in json.loads(data)["questions"]}
    assert len(kinds) == 9  # every question kind, to start from
    created = await admin.slash("forms create", definition=("template.json", data))
    assert "Form #1 “Staff application” created: 9 questions" in created.text
    # A member only sees this in /forms list, not closed or others' forms.
    listed = await desk.member("alice").slash("forms list")
    assert "#1 Staff application" in listed.text and "used 0/2" in listed.text


async def test_each_kind_is_checked_and_fix_answers_keeps_the_rest(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    alice = desk.member("alice")
    opened = await alice.slash("forms submit", form=str(form_id))
    # A wrong number, a bad email, a choice the menu never offered, a required answer
    # left out: the last two only a raw payload can send, so the server must catch them.
    bad = {
        "Your name": "Alice",
        "Your age": "thirty",
        "Your email": "alice-at-example",
        "Your timezone": ["Mars"],
    }
    reply = await alice.submit_modal(opened, bad, unchecked=True)
    text = reply.text
    assert reply.ephemeral and "Some answers need fixing" in text
    assert "Your age**: must be a number between 13 and 120" in text
    assert "Your email**: must be an email address" in text
    assert "Your timezone**: must be one of: UTC-5, UTC, UTC+1" in text
    assert "Where to help**: is required" in text
    assert "Your name" not in text
    assert rows(desk, "SELECT COUNT(*) FROM submissions") == [(0,)]

    fix = await alice.click(reply, "Fix answers")
    assert fix.modal.title == "Moderator application (1/2)"  # the page with the bad answers
    inputs = dict(fix.modal.inputs)
    assert inputs["Your name"]["value"] == "Alice"  # kept
    assert inputs["Your age"]["value"] == "thirty"  # shown again, to correct
    assert inputs["Your email"]["value"] == "alice-at-example"
    saved = await alice.submit_modal(fix, PAGE_ONE)
    assert "page 1 of 2 saved" in saved.text
    second = await alice.click(saved, "Continue")
    # An unticked required checkbox is refused on the second page, the first is kept.
    reply = await alice.submit_modal(second, {"Your website": "not a link"})
    assert "Your website**: must be a web link" in reply.text
    assert "I read the rules**: must be checked" in reply.text
    again = await alice.click(reply, "Fix answers")
    assert again.modal.title == "Moderator application (2/2)"
    assert dict(again.modal.inputs)["Your website"]["value"] == "not a link"
    done = await alice.submit_modal(again, PAGE_TWO)
    assert "Thank you" in done.text
    answers = json.loads(rows(desk, "SELECT answers FROM submissions")[0][0])
    assert answers["name"] == "Alice" and answers["rules"] is True


async def test_limit_inactive_and_role_restricted_forms_are_refused(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    alice = desk.member("alice")
    # An abandoned submission (one page of two) does not count against the limit.
    opened = await alice.slash("forms submit", form=str(form_id))
    await alice.submit_modal(opened, PAGE_ONE)
    listed = await alice.slash("forms list")
    assert "used 0/2" in listed.text
    for _ in range(2):
        assert "Thank you" in (await apply(alice, form_id)).text
    third = await alice.slash("forms submit", form=str(form_id))
    assert third.callback_type == 4 and "You have used 2 of 2 submissions" in third.text
    assert "used 2/2" in (await alice.slash("forms list")).text
    assert await alice.autocomplete("forms submit", "form", "Mod") == []

    bob = desk.member("bob")
    assert [c["value"] for c in await bob.autocomplete("forms submit", "form", "mod")] == [
        str(form_id)
    ]
    admin = desk.member("admin")
    closed = await admin.slash("forms close", form=str(form_id))
    assert "is closed" in closed.text
    refused = await bob.slash("forms submit", form=str(form_id))
    assert "is closed and isn't taking submissions" in refused.text

    billing = desk.role("Billing")["id"]
    restricted = await create_form(desk, seven_questions(required_role_id=billing))
    refused = await bob.slash("forms submit", form=str(restricted))
    assert f"only for members with the <@&{billing}> role" in refused.text
    member = desk.member("billing")
    assert member.id != bob.id
    opened = await member.slash("forms submit", form=str(restricted))
    assert opened.callback_type == 9


async def test_accept_grants_role_and_dms_the_member(desk: Desk) -> None:
    await set_up(desk)
    billing = desk.role("Billing")["id"]
    form_id = await create_form(desk, seven_questions(accept_role_id=billing))
    alice = desk.member("alice")
    await apply(alice, form_id)
    staff = desk.member("staff")
    reply = await staff.click(review_message(desk, "#1"), "Accept")
    note = await note_to_reviewer(desk, reply)
    assert "Application #1 accepted" in note and "Member told by DM" in note
    assert billing in desk.guild.members[alice.id]["roles"]
    posted = review_message(desk, "#1")
    assert f"Accepted by {staff.mention}" in posted.text and posted.buttons == []
    dm = await desk.wait_for(lambda: desk.dms("alice"))
    assert "was accepted" in dm[-1].text
    assert rows(desk, "SELECT status, reviewer_id FROM submissions") == [("accepted", staff.id)]
    await desk.next_message("logs", f"accepted by {staff.mention}")
    listed = await staff.slash("forms submissions", form=str(form_id), status="accepted")
    assert "#1" in listed.text and "accepted" in listed.text
    exported = await staff.slash("forms export", form=str(form_id))
    _, data = exported.visible.attachment_named(".csv")
    header, row = data.decode("utf-8-sig").splitlines()
    assert "Your email" in header and "alice@example.com" in row and "accepted" in row
    refused = await alice.slash("forms export", form=str(form_id))
    assert "Only staff" in refused.text


async def test_reject_with_reason_and_closed_dms_are_noted(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    bob = desk.member("bob")
    desk.close_dms("bob")
    await apply(bob, form_id)
    staff = desk.member("staff")
    asked = await staff.click(review_message(desk, "#1"), "Reject")
    reply = await staff.submit_modal(asked, {"Reason (sent to the member)": "Too new here"})
    note = await note_to_reviewer(desk, reply)
    assert "Application #1 rejected" in note and "does not accept DMs" in note
    posted = review_message(desk, "#1")
    assert f"Rejected by {staff.mention}" in posted.text and "Reason: Too new here" in posted.text
    assert "does not accept DMs" in posted.text and posted.buttons == []
    assert rows(desk, "SELECT status, review_note FROM submissions") == [
        ("rejected", "Too new here")
    ]


async def test_two_concurrent_accepts_give_one_decision(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    await apply(desk.member("alice"), form_id)
    message = review_message(desk, "#1")
    first, second = await asyncio.gather(
        desk.member("staff").click(message, "Accept"),
        desk.member("admin").click(message, "Accept"),
    )
    notes = [await note_to_reviewer(desk, first), await note_to_reviewer(desk, second)]
    texts = sorted(notes, key=lambda t: "already" in t)
    assert "Application #1 accepted" in texts[0]
    assert "was already accepted by" in texts[1]
    assert rows(desk, "SELECT COUNT(*) FROM submissions WHERE status = 'accepted'") == [(1,)]
    await desk.wait_for(lambda: len(desk.dms("alice")) == 1)
    assert review_message(desk, "#1").text.count("Accepted by") == 1


async def test_review_buttons_work_after_restart_and_role_problems_are_reported(
    desk: Desk,
) -> None:
    await set_up(desk)
    # A role above the bot's own: Discord refuses to hand it out. Created as an admin
    # would (GUILD_ROLE_CREATE), so the bot knows it is a role of this server.
    vip = desk.create_role("VIP")["id"]
    form_id = await create_form(desk, seven_questions(accept_role_id=vip))
    await apply(desk.member("alice"), form_id)
    # Alice is half-way through a second application when the bot restarts.
    alice = desk.member("alice")
    saved = await alice.submit_modal(await alice.slash("forms submit", form=str(form_id)), PAGE_ONE)
    await desk.restart_bot()
    expired = await alice.click(saved, "Continue")
    assert "Start again with `/forms submit`" in expired.text
    reply = await desk.member("staff").click(review_message(desk, "#1"), "Accept")
    note = await note_to_reviewer(desk, reply)
    assert f"could not give the <@&{vip}> role" in note and "decision stands" in note
    assert rows(desk, "SELECT status FROM submissions") == [("accepted",)]
    assert "could not give" in review_message(desk, "#1").text


async def test_applications_flag_off_refuses_everything(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    admin = desk.member("admin")
    await admin.slash("admin feature", name="applications", enabled=False)
    alice = desk.member("alice")
    for reply in (
        await alice.slash("forms submit", form=str(form_id)),
        await alice.slash("forms list"),
        await admin.slash("forms create", definition=definition_file(seven_questions())),
        await admin.slash("forms template"),
    ):
        assert reply.ephemeral and reply.text == FLAG_OFF
    assert await alice.autocomplete("forms submit", "form", "") == []


async def test_template_form_with_a_file_upload_and_a_long_answer(desk: Desk) -> None:
    await set_up(desk)
    admin = desk.member("admin")
    _, data = (await admin.slash("forms template")).visible.attachment_named(".json")
    await admin.slash("forms create", definition=("template.json", data))
    alice = desk.member("alice")
    opened = await alice.slash("forms submit", form="1")
    long_text = "I helped run a server. " * 80  # over one embed field
    saved = await alice.submit_modal(
        opened,
        {
            "What should we call you?": "Alice",
            "Your age": "19",
            "Your timezone": ["UTC"],
            "Where would you like to help?": ["Events"],
        },
    )
    second = await alice.click(saved, "Continue")
    assert dict(second.modal.inputs)["Anything to attach? (optional)"]["type"] == FILE_UPLOAD
    done = await alice.submit_modal(
        second,
        {
            "Your moderation experience": long_text,
            "Anything to attach? (optional)": [("cv.pdf", b"%PDF-1.4")],
            "I have read the server rules": True,
        },
    )
    assert "Thank you" in done.text
    posted = review_message(desk, "#1")
    assert "cv.pdf" in posted.text and "/attachments/" in posted.text
    assert "Your moderation experience (continued)" in posted.text
    answers = json.loads(rows(desk, "SELECT answers FROM submissions")[0][0])
    assert answers["cv"][0]["filename"] == "cv.pdf" and answers["experience"] == long_text.strip()


async def test_admin_edits_closes_opens_and_deletes_a_form(desk: Desk) -> None:
    await set_up(desk)
    form_id = await create_form(desk)
    await apply(desk.member("alice"), form_id)
    admin = desk.member("admin")
    current = await admin.slash("forms edit", form=str(form_id))
    _, data = current.visible.attachment_named(".json")
    definition = json.loads(data)
    assert definition["title"] == "Moderator application"
    definition["title"] = "Mod application"
    edited = await admin.slash(
        "forms edit", form=str(form_id), definition=("f.json", json.dumps(definition))
    )
    assert "“Mod application” updated" in edited.text
    assert "closed" in (await admin.slash("forms close", form=str(form_id))).text
    assert "is open" in (await admin.slash("forms open", form=str(form_id))).text
    choices = await admin.autocomplete("forms delete", "form", "mod")
    assert [c["value"] for c in choices] == [str(form_id)]
    asked = await admin.slash("forms delete", form=str(form_id))
    assert "Its 1 submission is deleted too" in asked.text
    done = await admin.click(asked, "Delete the form")
    assert "was deleted with its 1 submission" in done.text
    assert rows(desk, "SELECT COUNT(*) FROM forms") == [(0,)]
    # A form that fits one modal is submitted straight from it.
    short = seven_questions(questions=seven_questions()["questions"][:1])
    short_id = await create_form(desk, short)
    alice = desk.member("alice")
    opened = await alice.slash("forms submit", form=str(short_id))
    assert opened.modal.title == "Moderator application"
    done = await alice.submit_modal(opened, {"Your name": "Al"})
    assert done.ephemeral and "Thank you! Your application #" in done.text
    # Members can't use the admin subcommands, whatever their client sends.
    refused = await desk.member("alice").slash("forms template")
    assert refused.ephemeral and "Manage Server" in refused.text


def test_abandoned_answers_expire_and_a_fresh_start_keeps_them() -> None:
    now = [0.0]
    store = SessionStore(clock=lambda: now[0])
    form = _form_model(seven_questions())
    session = store.start(1, form)
    assert session.queue == [0, 1]
    session.answers["name"] = "Alice"
    session.queue = [1]
    again = store.start(1, form)  # /forms submit again: back to page 1, answers kept
    assert again.queue == [0, 1] and again.answers == {"name": "Alice"}
    now[0] += SESSION_TTL_SECONDS + 1
    assert store.get(1, form.id) is None


def _form_model(definition: dict[str, Any]) -> Form:
    now = datetime.now(UTC)
    return Form(
        id=1, guild_id=1, definition=parse_definition(definition), created_at=now, updated_at=now
    )


async def test_submissions_list_pages_with_next_and_previous(desk: Desk) -> None:
    await set_up(desk)
    one_question = seven_questions(
        max_submissions_per_user=20, questions=seven_questions()["questions"][:1]
    )
    form_id = await create_form(desk, one_question)
    alice = desk.member("alice")
    for n in range(12):
        opened = await alice.slash("forms submit", form=str(form_id))
        done = await alice.submit_modal(opened, {"Your name": f"Applicant {n:02d}"})
        assert "Thank you!" in done.text
    staff = desk.member("staff")
    first = await staff.slash("forms submissions", form=str(form_id))
    assert first.ephemeral and "Page 1 of 2 · 12 in all" in first.text
    assert "**#12**" in first.text and "**#1** " not in first.text  # newest first
    second = await staff.click(first, "Next ▶")
    assert "Page 2 of 2 · 12 in all" in second.text
    assert "**#1** " in second.text and "**#12**" not in second.text
    back = await staff.click(second, "◀ Previous")
    assert "Page 1 of 2" in back.text
