"""A staff shift on the dashboard: triage and close a ticket, read its transcript, the
stats with their charts, applications to accept or reject; and the admin's overview."""

from __future__ import annotations

import json

import pytest

from core.form_models import SubmissionStatus
from core.models import Department, Feature, Priority, Status


@pytest.fixture
def guild_url(site):
    return f"/servers/{site.guild_id}"


async def test_staff_triage_and_close_a_ticket(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("staff")
    page = f"{guild_url}/tickets/{ticket.id}"
    staff_id = site.user_id("staff")

    claim = await site.post(f"{page}/claim", page)
    assert claim.headers["location"] == f"{page}?done=claim"
    shown = await site.http.get(claim.headers["location"])
    assert "You are handling this ticket" in shown.text
    await site.post(f"{page}/priority", page, priority="urgent")
    await site.post(f"{page}/department", page, department="Billing")
    await site.post(f"{page}/reply", page, message="On it.")
    closed = await site.post(f"{page}/close", page, reason="Fire is out")
    assert closed.headers["location"] == f"{page}?done=close"

    now = await site.services.tickets.get(site.actor("staff", staff=True), ticket.id)
    assert now.claimed_by == staff_id and now.priority is Priority.URGENT
    assert now.department is Department.BILLING and now.status is Status.CLOSED
    assert now.close_reason == "Fire is out" and now.closed_by == staff_id
    # For the bot, in order: each change said in the thread, the reply posted there, the
    # close finished on Discord; each labelled with who acted.
    jobs = site.jobs()
    assert [(kind, payload.get("change")) for kind, payload in jobs] == [
        ("announce", "claimed_by"),
        ("announce", "priority"),
        ("announce", "department"),
        ("post_reply", None),
        ("finish_close", None),
    ]
    assert jobs[0][1]["by"] == "Staff (web dashboard)"
    assert site.side.nudges == 5

    closed_page = await site.http.get(page)
    assert "Send reply" not in closed_page.text and "/ticket reopen" in closed_page.text


async def test_a_refused_change_says_why(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("staff")
    page = f"{guild_url}/tickets/{ticket.id}"
    bad = await site.post(f"{page}/priority", page, priority="whenever")
    assert bad.status_code == 400 and "must be one of urgent, high, medium, low" in bad.text
    await site.post(f"{page}/close", page)
    again = await site.http.post(
        f"{page}/close", data={"csrf_token": await site.csrf(f"{guild_url}/tickets")}
    )
    assert again.status_code == 409


async def test_the_owner_may_resolve_and_close_their_ticket(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("alice")
    page = f"{guild_url}/tickets/{ticket.id}"
    await site.post(f"{page}/resolve", page)
    await site.post(f"{page}/close", page)
    closed = await site.http.get(page)
    assert "Send reply" not in closed.text and "/ticket create" in closed.text
    assert [payload.get("change") for _, payload in site.jobs()] == ["resolved", None]


async def test_the_transcript_is_shown_in_the_page_and_downloadable(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.services.tickets.reply(
        site.actor("staff", staff=True), ticket.id, "Try turning it off"
    )
    await site.log_in("alice")
    page = await site.http.get(f"{guild_url}/tickets/{ticket.id}/transcript")
    assert f'src="{guild_url}/tickets/{ticket.id}/transcript.html"' in page.text
    html = await site.http.get(f"{guild_url}/tickets/{ticket.id}/transcript.html")
    assert html.headers["content-type"].startswith("text/html")
    assert "Try turning it off" in html.text and f"Ticket #{ticket.id}" in html.text
    text = await site.http.get(
        f"{guild_url}/tickets/{ticket.id}/transcript.txt", params={"download": 1}
    )
    assert "attachment" in text.headers["content-disposition"]
    assert "Status: pending" in text.text
    other = await site.open_ticket("bob")
    assert (
        await site.http.get(f"{guild_url}/tickets/{other.id}/transcript.html")
    ).status_code == 403


async def test_stats_show_counts_and_charts(site, guild_url):
    first = await site.open_ticket("alice")
    await site.open_ticket("bob")
    site.clock.advance(minutes=30)
    await site.services.tickets.reply(site.actor("staff", staff=True), first.id, "Hello")
    await site.log_in("staff")
    page = await site.http.get(f"{guild_url}/stats")
    assert page.status_code == 200
    assert "open</span>: 1" in page.text and "pending</span>: 1" in page.text
    assert page.text.count("<svg") == 4
    assert "30 min" in page.text  # the median, and the day's column in the chart
    assert "median 30 min over 1 ticket" in page.text


async def submit(site, title: str = "Mod application") -> tuple[int, int]:
    definition = {
        "title": title,
        "description": "Help us",
        "questions": [{"id": "why", "label": "Why you?", "kind": "paragraph", "required": True}],
    }
    admin = site.actor("admin", admin=True)
    form = await site.services.forms.create(admin, json.dumps(definition))
    submission = await site.services.forms.submit(
        site.actor("alice"), form.id, set(), {"why": "<b>I care</b>"}
    )
    return form.id, submission.id


async def test_staff_accept_or_reject_applications_with_a_note(site, guild_url):
    _, first = await submit(site)
    _, second = await submit(site, "Artist application")
    await site.log_in("staff")
    queue = await site.http.get(f"{guild_url}/reviews")
    assert "Why you?" in queue.text and "&lt;b&gt;I care&lt;/b&gt;" in queue.text
    assert "2 applications" in queue.text
    page = f"{guild_url}/reviews"
    answer = await site.post(f"{page}/{first}", page, decision="accept", note="Welcome!")
    assert answer.headers["location"] == f"{page}?done=accepted"
    await site.post(f"{page}/{second}", page, decision="reject", note="")
    staff = site.actor("staff", staff=True)
    accepted = await site.services.forms.get_submission(staff, first)
    assert accepted.status is SubmissionStatus.ACCEPTED and accepted.review_note == "Welcome!"
    rejected = await site.services.forms.get_submission(staff, second)
    assert rejected.status is SubmissionStatus.REJECTED
    # For the bot: tell each applicant (a DM, the form's role), update the review message.
    assert [(kind, p["submission_id"]) for kind, p in site.jobs()] == [
        ("tell_review", first),
        ("tell_review", second),
    ]
    twice = await site.post(f"{page}/{first}", page, decision="reject")
    assert twice.status_code == 409
    assert "0 applications" in (await site.http.get(page)).text


async def test_a_member_follows_their_applications(site, guild_url):
    _, submission = await submit(site)
    await site.services.forms.review(
        site.actor("staff", staff=True), submission, accept=False, note="Not this time"
    )
    await site.log_in("alice")
    page = await site.http.get(f"{guild_url}/applications")
    assert "Mod application" in page.text and "rejected" in page.text
    assert "Note from staff: Not this time" in page.text
    refused = await site.http.post(
        f"{guild_url}/reviews/{submission}",
        data={"decision": "accept", "csrf_token": await site.csrf(f"{guild_url}/applications")},
    )
    assert refused.status_code == 403


async def test_admins_see_flags_and_what_is_missing(site, guild_url):
    await site.log_in("admin")
    page = await site.http.get(f"{guild_url}/admin")
    assert page.status_code == 200
    assert "What is missing" in page.text and "Log channel" in page.text
    assert "ticketing</td><td>on" in page.text and "ai</td><td>off" in page.text
    assert "Review channel" in page.text.split("What is missing")[1].split("</section>")[0]
    admin_page = f"{guild_url}/admin"
    answer = await site.post(f"{guild_url}/admin/features", admin_page, name="applications")
    assert answer.status_code == 303
    assert not (await site.services.guilds.flags(site.guild_id)).is_on(Feature.APPLICATIONS)
    after = await site.http.get(answer.headers["location"])
    assert "applications</td><td>off" in after.text and "Saved." in after.text
    # With applications off, a review channel is no longer missing.
    assert "Review channel" not in after.text.split("What is missing")[1].split("</section>")[0]
    # The service's own refusal shows: AI can't be switched on without AI settings.
    ai = await site.post(f"{guild_url}/admin/features", admin_page, name="ai", enabled="on")
    assert ai.status_code == 400 and "OPENAI_API_KEY" in ai.text


async def test_staff_who_are_not_admins_get_no_settings(site, guild_url):
    await site.log_in("staff")
    assert (await site.http.get(f"{guild_url}/admin")).status_code == 403
    refused = await site.post(
        f"{guild_url}/admin/features", f"{guild_url}/tickets", name="ai", enabled="on"
    )
    assert refused.status_code == 403
    assert not (await site.services.guilds.flags(site.guild_id)).is_on(Feature.AI)


async def test_pages_follow_the_feature_flags(site, guild_url):
    admin = site.actor("admin", admin=True)
    await site.services.guilds.set_feature(admin, Feature.TICKETING, False)
    await site.log_in("alice")
    answer = await site.http.get(f"{guild_url}/tickets")
    assert answer.status_code == 503 and "Ticketing is disabled" in answer.text


async def test_staff_keep_notes_the_member_never_sees(site, guild_url):
    ticket = await site.open_ticket("alice")
    page = f"{guild_url}/tickets/{ticket.id}"
    await site.log_in("staff")
    kept = await site.post(f"{page}/note", page, note="Refund <b>approved</b> by finance")
    assert kept.headers["location"] == f"{page}?done=note"
    shown = await site.http.get(kept.headers["location"])
    assert "Note kept" in shown.text and "Staff notes" in shown.text
    assert "Refund &lt;b&gt;approved&lt;/b&gt; by finance" in shown.text
    # The log channel hears who kept a note on which ticket, never its words.
    assert site.jobs() == [
        ("log_note", {"ticket_id": ticket.id, "author_id": str(site.user_id("staff"))})
    ]

    too_long = "x" * 2001
    refused = await site.post(f"{page}/note", page, note=too_long)
    assert refused.status_code == 400 and "2000" in refused.text
    assert too_long in refused.text  # kept in the box, to shorten
    assert len(site.jobs()) == 1

    await site.log_in("alice")
    mine = await site.http.get(page)
    assert mine.status_code == 200 and "Refund" not in mine.text and "Staff notes" not in mine.text
    forbidden = await site.post(f"{page}/note", page, note="me too")
    assert forbidden.status_code == 403
    assert len(site.jobs()) == 1


async def test_staff_send_a_saved_reply_from_the_ticket_page(site, guild_url):
    admin = site.actor("admin", staff=True, admin=True)
    await site.services.tags.create(admin, "refund policy", "Refunds take <b>5</b> days.")
    ticket = await site.open_ticket("alice")
    page = f"{guild_url}/tickets/{ticket.id}"
    await site.log_in("staff")
    shown = await site.http.get(page)
    assert 'value="refund policy"' in shown.text and "Send saved reply" in shown.text
    sent = await site.post(f"{page}/tag", page, tag="Refund  Policy")  # as names compare
    assert sent.headers["location"] == f"{page}?done=tag"
    replies = await site.services.tickets.all_replies(site.actor("staff", staff=True), ticket.id)
    assert replies[1][-1].body == "Refunds take <b>5</b> days."
    assert [kind for kind, _ in site.jobs()] == ["post_reply"]  # the bot posts it

    unknown = await site.post(f"{page}/tag", page, tag="warranty")
    assert unknown.status_code == 404 and "warranty" in unknown.text
    assert len(site.jobs()) == 1

    await site.log_in("alice")
    mine = await site.http.get(page)
    assert "Send saved reply" not in mine.text and "refund policy" not in mine.text
    refused = await site.post(f"{page}/tag", page, tag="refund policy")
    assert refused.status_code == 403 and len(site.jobs()) == 1
