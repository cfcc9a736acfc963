"""Tags (canned replies, SPEC §12) end to end: admins manage them through modals, staff
post them in a ticket's thread as a staff reply, members get refused."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up, status_of
from tests.fakes.discord import interactions as build
from tests.fakes.discord.driver import Desk, Person
from tests.fakes.discord.views import Reply

REFUND = "Refunds take 5 working days.\nReply here if it takes longer."


async def raw_click(desk: Desk, who: str, message: dict, custom_id: str) -> Reply:
    """A click on `message`'s button sent as a raw payload by someone Discord would not
    show it to (an ephemeral message of another member)."""
    channel = desk.channel_payload(int(message["channel_id"]))
    data = {"custom_id": custom_id, "component_type": 2}
    payload = build.base_payload(desk.state, desk.guild, desk.member(who).id, channel, 3, data)
    payload["message"] = message
    return await desk.send_interaction(payload)


async def create_tag(admin: Person, name: str, content: str) -> str:
    shown = await admin.slash("tag create", name=name)
    modal = shown.modal
    assert modal.labels == ["Name", "Content (what /tag use posts)"]
    done = await admin.submit_modal(shown, {"content": content})  # the name comes prefilled
    assert "created" in done.text, done.text
    return done.text


@pytest.mark.postgres
async def test_admin_creates_a_multiline_tag_and_staff_post_it_as_a_reply(desk: Desk):
    await set_up(desk)
    admin, staff = desk.member("admin"), desk.member("staff")
    done = await create_tag(admin, "Refund", REFUND)
    assert "`/tag use name:Refund`" in done
    await desk.next_message("logs", f"{admin.mention} created tag “Refund”")
    assert rows(desk, "SELECT name, content, created_by FROM tags") == [
        ("Refund", REFUND, admin.id)
    ]

    _, thread = await open_ticket(desk, message="Where is my refund?")
    assert status_of(desk, 1) == "open"
    used = await staff.slash("tag use", name="refund", in_channel=thread)
    assert used.ephemeral and "Reply posted in #1" in used.text, used.text
    posted = await desk.next_message(thread, REFUND)
    assert "(staff) wrote:" in posted.text
    assert rows(desk, "SELECT author_id, author_kind, body FROM replies ORDER BY id")[1:] == [
        (staff.id, "staff", REFUND)
    ]
    assert status_of(desk, 1) == "pending"  # moved as for any staff reply
    first_response = rows(desk, "SELECT first_response_seconds FROM tickets")[0][0]
    assert first_response is not None


async def test_autocomplete_offers_tags_to_staff_only(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    await create_tag(admin, "Refund", REFUND)
    await create_tag(admin, "Shipping", "Ships in two days.")
    choices = await desk.member("staff").autocomplete("tag use", "name", "REF")
    assert choices == [{"name": "Refund · Refunds take 5 working days.", "value": "Refund"}]
    everything = await admin.autocomplete("tag edit", "name", "")
    assert [c["value"] for c in everything] == ["Refund", "Shipping"]
    assert await desk.member("alice").autocomplete("tag use", "name", "") == []


async def test_members_and_staff_are_refused_what_is_not_theirs(desk: Desk):
    await set_up(desk)
    await create_tag(desk.member("admin"), "refund", REFUND)
    _, thread = await open_ticket(desk)
    alice, staff = desk.member("alice"), desk.member("staff")
    refused = await alice.slash("tag use", name="refund", in_channel=thread)
    assert refused.ephemeral and "Only staff can use tags" in refused.text
    assert "Only staff can use tags" in (await alice.slash("tag list")).text
    for person in (alice, staff):
        for command in ("tag create", "tag edit", "tag delete"):
            reply = await person.slash(command, name="refund")
            assert "Only server admins" in reply.text, (person, command, reply.text)
            assert "staff can post them with `/tag use`" in reply.text
    assert rows(desk, "SELECT COUNT(*) FROM replies") == [(1,)]  # nothing was posted
    assert rows(desk, "SELECT COUNT(*) FROM tags") == [(1,)]


async def test_use_outside_a_ticket_thread_or_unknown_tag_is_refused(desk: Desk):
    await set_up(desk)
    await create_tag(desk.member("admin"), "refund", REFUND)
    staff = desk.member("staff")
    outside = await staff.slash("tag use", name="refund")
    assert "`/tag use` posts in a ticket's thread; run it there." in outside.text
    _, thread = await open_ticket(desk)
    unknown = await staff.slash("tag use", name="nope", in_channel=thread)
    assert "There is no tag named “nope”" in unknown.text and "`/tag list`" in unknown.text
    taken = await desk.member("admin").slash("tag create", name="REFUND")
    assert "a tag named “REFUND” already exists" in taken.text


async def test_edit_prefills_and_delete_gives_the_text_back(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    await create_tag(admin, "refund", REFUND)
    shown = await admin.slash("tag edit", name="REFUND")
    inputs = dict(shown.modal.inputs)
    assert inputs["Name"]["value"] == "refund"
    assert inputs["Content (what /tag use posts)"]["value"] == REFUND
    saved = await admin.submit_modal(shown, {"Name": "Refunds", "content": "Five days."})
    assert "Tag “Refunds” saved" in saved.text
    await desk.next_message("logs", "edited tag “Refunds”")
    assert rows(desk, "SELECT name, content FROM tags") == [("Refunds", "Five days.")]

    deleted = await admin.slash("tag delete", name="refunds")
    assert "Tag “Refunds” deleted" in deleted.text and "Five days." in deleted.text
    await desk.next_message("logs", "deleted tag “Refunds”")
    assert rows(desk, "SELECT COUNT(*) FROM tags") == [(0,)]
    gone = await admin.slash("tag delete", name="refunds")
    assert "There is no tag named “refunds”" in gone.text


async def test_an_edit_whose_tag_was_deleted_meanwhile_changes_nothing(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    await create_tag(admin, "refund", REFUND)
    shown = await admin.slash("tag edit", name="refund")
    await admin.slash("tag delete", name="refund")
    late = await admin.submit_modal(
        shown, {"content": "Too late, but kept for you: every word of it, given back."}
    )
    assert "deleted meanwhile" in late.text and "every word of it, given back." in late.text
    assert rows(desk, "SELECT COUNT(*) FROM tags") == [(0,)]


async def test_tag_list_pages(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    for n in range(11):
        await create_tag(admin, f"tag {n:02d}", f"Text number {n}")
    first = await desk.member("staff").slash("tag list")
    assert "tag 00" in first.text and "tag 09" in first.text and "tag 10" not in first.text
    assert "Page 1 of 2 · 11 tags" in first.text
    second = await desk.member("staff").click(first, "Next ▶")
    assert "tag 10" in second.text and "Page 2 of 2" in second.text
    # A member sending the button's click anyway (a raw payload) is refused too.
    forged = await raw_click(desk, "alice", first.visible.raw, "tag:list:1")
    assert "Only staff can use tags" in forged.text


async def test_a_raw_tag_command_from_a_member_changes_nothing(desk: Desk):
    await set_up(desk)
    refused = await raw_slash(desk, "alice", "tag create", name="x")
    assert "Only server admins" in refused.text
    assert rows(desk, "SELECT COUNT(*) FROM tags") == [(0,)]
