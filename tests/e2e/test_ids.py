"""Ids are read strictly: ASCII digits in SQLite's range. Anything else in an option or a
custom_id gets the usual refusal ("not found", or the field named), never a crash."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up
from tests.fakes.discord.driver import Desk

CRASH = "Something went wrong"
# '²' is a digit to str.isdigit() but not to int(); '١' (Arabic-Indic one) is a digit to
# both, and must not quietly mean ticket 1; the others overflow SQLite's 64-bit integers.
NOT_ASCII = ("²", "١")
TOO_BIG = (str(2**63), "9" * 25)


@pytest.fixture
async def ready(desk: Desk) -> Desk:
    await set_up(desk)
    await open_ticket(desk, "alice")
    return desk


@pytest.mark.parametrize("value", NOT_ASCII + TOO_BIG)
@pytest.mark.parametrize(
    ("command", "option", "extra"),
    [
        ("ticket view", "ticket_id", {}),
        ("ticket transcript", "ticket_id", {}),
        ("ticket reply", "ticket_id", {"message": "hello"}),
        ("ticket claim", "ticket_id", {}),
        ("ticket priority", "ticket_id", {"level": "high"}),
        ("forms submit", "form", {}),
        ("forms submissions", "form", {}),
        ("forms delete", "form", {}),
    ],
)
async def test_bad_ids_in_options_are_refused_not_crashed(ready, command, option, extra, value):
    reply = await raw_slash(ready, "admin", command, **{option: value}, **extra)
    assert reply.ephemeral and CRASH not in reply.text, reply.text
    if value in TOO_BIG:
        assert "not found" in reply.text, reply.text
    else:
        assert f"{option}: " in reply.text, reply.text
    # '١' never stands for ticket #1: nothing of ticket 1 is shown or changed.
    assert "Printer on fire" not in reply.text
    assert rows(ready, "SELECT priority, claimed_by FROM tickets") == [("medium", None)]


@pytest.mark.postgres
async def test_a_huge_number_option_is_refused_by_its_bounds(ready):
    reply = await raw_slash(ready, "admin", "admin limits", max_open_tickets=2**63)
    assert "max_open_tickets: must be between" in reply.text


@pytest.mark.parametrize("bad", NOT_ASCII + TOO_BIG)
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("ticket:close:{}", "not found"),
        ("ticket:close-yes:{}", "not found"),
        ("ticket:close-why:{}", "not found"),
        ("ai:solved:{}", "not found"),
        ("ai:human:{}", "not found"),
        ("ai:send:{}", "not found"),
        ("feedback:rate:{}:5", "not found"),
        ("feedback:comment:{}", "not found"),
        ("form:accept:{}", "not found"),
        ("form:reject:{}", "not found"),
        ("form:delete:{}", "not found"),
        ("form:subs:{}:pending:0:n", "not found"),
        ("form:next:{}:0", "no longer in progress"),
        ("page:view:0:{}", "not found"),
        ("admin:forget:{}", "another server"),
    ],
)
async def test_bad_ids_in_custom_ids_are_not_found(ready, template, expected, bad):
    # An admin may press every one of these buttons, so only the id can be wrong.
    admin = ready.member("admin")
    shown = await admin.slash("ticket list")  # an ephemeral message of theirs to click on
    reply = await admin.press(shown, template.format(bad))
    assert CRASH not in reply.text, reply.text
    assert expected in reply.text, reply.text
    assert rows(ready, "SELECT status FROM tickets") == [("open",)]


@pytest.mark.parametrize("page", ["²", str(2**63), "9" * 25])
async def test_bad_page_numbers_and_filters_in_custom_ids(ready, page):
    alice = ready.member("alice")
    shown = await alice.slash("ticket list")
    reply = await alice.press(shown, f"page:list:{page}:..")
    assert CRASH not in reply.text and "Your tickets" in reply.text, reply.text
    filtered = await alice.press(shown, "page:list:0:.².")
    assert CRASH not in filtered.text and "Your tickets" in filtered.text, filtered.text


async def test_a_forged_department_pick_opens_the_default_form(ready):
    await ready.member("admin").slash("admin panel", channel="general")
    panel = ready.bot_messages("general")[-1]
    alice = ready.member("alice")
    data = {"custom_id": "panel:department", "component_type": 3, "values": ["²"]}
    reply = await ready.send_interaction(alice._component_payload(panel, data))
    assert reply.modal is not None, reply.text
