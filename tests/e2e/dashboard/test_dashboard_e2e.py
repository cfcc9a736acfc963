"""The dashboard served by the real bot process: a member and staff log in through the
fake Discord, reply, close; Discord shows it all."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.api.helpers import eventually
from tests.e2e.helpers import open_ticket, rows, status_of
from tests.e2e.test_forms import apply, create_form, review_message, seven_questions
from tests.e2e.test_tags import create_tag


@pytest.mark.postgres
async def test_a_reply_and_a_close_on_the_dashboard_reach_the_discord_thread(web):
    _, thread = await open_ticket(web.desk, "alice", subject="Printer on fire")
    ticket_id = rows(web.desk, "SELECT id FROM tickets")[0][0]
    page = f"{web.guild_url}/tickets/{ticket_id}"
    async with httpx.AsyncClient(timeout=10) as alice:
        await web.log_in(alice, "alice")
        mine = await alice.get(f"{web.guild_url}/tickets")
        assert "Printer on fire" in mine.text and "My tickets" in mine.text
        sent = await web.post_form(alice, page, f"{page}/reply", message="Smoke everywhere now")
        assert sent.status_code == 303
    posted = await web.desk.next_message(thread, "Smoke everywhere now")
    assert "web dashboard" in posted.text and posted.mentioned_user_ids == []

    async with httpx.AsyncClient(timeout=10) as staff:
        await web.log_in(staff, "staff")
        queue = await staff.get(f"{web.guild_url}/tickets")
        assert "Ticket queue" in queue.text and f"#{ticket_id}" in queue.text
        closed = await web.post_form(staff, page, f"{page}/close", reason="Fire brigade came")
        assert closed.status_code == 303
    await web.desk.next_message(thread, "was closed")
    await web.desk.wait_for(
        lambda: web.desk.channel_payload(thread)["thread_metadata"]["archived"], 15.0, "archive"
    )
    assert status_of(web.desk, ticket_id) == "closed"
    await web.desk.next_message("logs", f"#{ticket_id}")  # the transcript in the log channel


async def test_the_bot_decides_who_is_staff_from_discord_roles(web):
    await open_ticket(web.desk, "alice")
    async with httpx.AsyncClient(timeout=10) as bob:
        await web.log_in(bob, "bob")
        assert (await bob.get(f"{web.guild_url}/stats")).status_code == 403
        web.desk.set_roles("bob", "Staff")  # promoted on Discord

        # Roles are looked up on every page (the bot caches them briefly at most).
        async def promoted() -> bool | None:
            return (await bob.get(f"{web.guild_url}/stats")).status_code == 200 or None

        assert await eventually(promoted)


async def test_triage_and_reviews_on_the_dashboard_are_done_on_discord(web):
    desk = web.desk
    _, thread = await open_ticket(desk, "alice")
    ticket_id = rows(desk, "SELECT id FROM tickets")[0][0]
    billing = desk.role("Billing")["id"]
    await desk.member("admin").slash("admin department", name="Billing", role="Billing")
    form_id = await create_form(desk, seven_questions(accept_role_id=billing))
    alice = desk.member("alice")
    await apply(alice, form_id)
    submission_id = rows(desk, "SELECT id FROM submissions")[0][0]
    page = f"{web.guild_url}/tickets/{ticket_id}"
    async with httpx.AsyncClient(timeout=10) as staff:
        await web.log_in(staff, "staff")
        await web.post_form(staff, page, f"{page}/department", department="Billing")
        reviews = f"{web.guild_url}/reviews"
        await web.post_form(
            staff, reviews, f"{reviews}/{submission_id}", decision="accept", note="Welcome!"
        )
    # The department's staff are brought into the private thread, as in Discord.
    moved = await desk.next_message(thread, "moved to Billing by Staff (web dashboard)")
    ping = await desk.next_message(thread, f"<@&{billing}>", after=moved.id - 1)
    assert ping.mentioned_role_ids == [int(billing)]
    # The applicant is told and given the form's role; the review message shows it.
    dm = await desk.wait_for(lambda: desk.dms("alice"), 15.0, "the applicant's DM")
    assert "was accepted" in dm[-1].text and "Welcome!" in dm[-1].text
    assert billing in desk.guild.members[alice.id]["roles"]
    await desk.wait_for(lambda: review_message(desk, "#1").buttons == [], 15.0, "review edit")


async def test_a_note_kept_on_the_dashboard_is_logged_on_discord_never_shown(web):
    _, thread = await open_ticket(web.desk, "alice")
    ticket_id = rows(web.desk, "SELECT id FROM tickets")[0][0]
    page = f"{web.guild_url}/tickets/{ticket_id}"
    async with httpx.AsyncClient(timeout=10) as staff:
        await web.log_in(staff, "staff")
        kept = await web.post_form(staff, page, f"{page}/note", note="VIP: refund approved")
        assert kept.status_code == 303
        assert "VIP: refund approved" in (await staff.get(page)).text
    logged = await web.desk.next_message("logs", "added a staff note to ticket #1")
    assert web.desk.member("staff").mention in logged.text and "VIP" not in logged.text
    assert not [m for m in web.desk.messages(thread) if "VIP" in m.text]
    assert rows(web.desk, "SELECT body FROM staff_notes") == [("VIP: refund approved",)]


async def test_a_saved_reply_sent_on_the_dashboard_is_posted_in_the_thread(web):
    await create_tag(web.desk.member("admin"), "Reboot", "Please restart it and tell us.")
    _, thread = await open_ticket(web.desk, "alice")
    ticket_id = rows(web.desk, "SELECT id FROM tickets")[0][0]
    page = f"{web.guild_url}/tickets/{ticket_id}"
    async with httpx.AsyncClient(timeout=10) as staff:
        await web.log_in(staff, "staff")
        sent = await web.post_form(staff, page, f"{page}/tag", tag="Reboot")
        assert sent.status_code == 303
    posted = await web.desk.next_message(thread, "Please restart it and tell us.")
    assert "web dashboard" in posted.text
    stored = "SELECT author_kind FROM replies WHERE body = 'Please restart it and tell us.'"
    assert rows(web.desk, stored) == [("staff",)]
