"""Tickets on the dashboard: the member's own list and conversation, the staff queue with
filters and pages, replies, and what members may not see (staff pages, others' tickets,
another server's tickets)."""

from __future__ import annotations

import pytest

from core.models import Actor, Status
from tests.dashboard.conftest import set_up_desk


@pytest.fixture
def guild_url(site):
    return f"/servers/{site.guild_id}"


async def test_a_member_sees_their_tickets_and_not_others(site, guild_url):
    mine = await site.open_ticket("alice", "Alice's printer")
    theirs = await site.open_ticket("bob", "Bob's secret")
    await site.log_in("alice")
    page = await site.http.get(f"{guild_url}/tickets")
    assert f"#{mine.id}" in page.text and "Alice&#39;s printer" in page.text
    assert "Bob&#39;s secret" not in page.text
    answer = await site.http.get(f"{guild_url}/tickets/{theirs.id}")
    assert answer.status_code == 403


async def test_staff_see_the_queue_with_filters_and_pages(site, guild_url):
    for number in range(27):
        await site.open_ticket("alice" if number % 2 else "bob", f"Ticket number {number}")
    urgent = await site.services.tickets.create(
        site.actor("bob"), subject="Server down", message="All down", priority="urgent"
    )
    await site.log_in("staff")
    first = await site.http.get(f"{guild_url}/tickets")
    assert "Ticket queue" in first.text and "28 tickets" in first.text
    assert "Page 1 of 2" in first.text and "page=2" in first.text
    second = await site.http.get(f"{guild_url}/tickets", params={"page": 2})
    assert "Ticket number 0" in second.text and "Page 2 of 2" in second.text
    filtered = await site.http.get(f"{guild_url}/tickets", params={"priority": "urgent"})
    assert "1 ticket" in filtered.text and f"#{urgent.id}" in filtered.text
    bad = await site.http.get(f"{guild_url}/tickets", params={"status": "sleeping"})
    assert bad.status_code == 400 and "status" in bad.text


async def test_member_text_is_escaped_everywhere(site, guild_url):
    ticket = await site.services.tickets.create(
        site.actor("alice"), subject="<script>alert(1)</script>", message="<img src=x onerror=y>"
    )
    await site.log_in("alice")
    for path in (f"/tickets/{ticket.id}", "/tickets", f"/tickets/{ticket.id}/transcript.html"):
        page = await site.http.get(guild_url + path)
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text
    transcript = await site.http.get(f"{guild_url}/tickets/{ticket.id}/transcript.html")
    assert "sandbox" in transcript.headers["content-security-policy"]


async def test_a_member_replies_and_the_bot_is_asked_to_post_it(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("alice")
    page = f"{guild_url}/tickets/{ticket.id}"
    answer = await site.post(f"{page}/reply", page, message="Still burning <b>hot</b>")
    assert answer.status_code == 303 and answer.headers["location"] == f"{page}?done=reply"
    shown = await site.http.get(answer.headers["location"])
    assert (
        "Your reply was sent" in shown.text and "Still burning &lt;b&gt;hot&lt;/b&gt;" in shown.text
    )
    _, replies = await site.services.tickets.all_replies(site.actor("alice"), ticket.id)
    assert replies[-1].body == "Still burning <b>hot</b>"
    assert site.jobs() == [
        (
            "post_reply",
            {"reply_id": replies[-1].id, "ticket_id": ticket.id, "by": "Alice (web dashboard)"},
        )
    ]
    assert site.side.nudges == 1


async def test_a_refused_reply_keeps_what_was_typed(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("alice")
    page = f"{guild_url}/tickets/{ticket.id}"
    answer = await site.post(f"{page}/reply", page, message="x" * 4001)
    assert answer.status_code == 400
    assert "message" in answer.text and "x" * 4001 in answer.text
    assert site.jobs() == []


async def test_a_form_without_its_token_changes_nothing(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("alice")
    page = f"{guild_url}/tickets/{ticket.id}"
    for data in ({"message": "hi"}, {"message": "hi", "csrf_token": "guess"}):
        answer = await site.http.post(f"{page}/reply", data=data)
        assert answer.status_code == 403 and "expired" in answer.text
    token = await site.csrf(page)
    elsewhere = await site.http.post(
        f"{page}/reply",
        data={"message": "hi", "csrf_token": token},
        headers={"Origin": "http://evil.test"},
    )
    assert elsewhere.status_code == 403
    _, replies = await site.services.tickets.all_replies(site.actor("alice"), ticket.id)
    assert len(replies) == 1 and site.jobs() == []


async def test_a_token_from_another_session_does_not_work(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("bob")
    bobs_token = await site.csrf(f"{guild_url}/tickets")
    await site.log_in("alice")
    answer = await site.http.post(
        f"{guild_url}/tickets/{ticket.id}/close", data={"csrf_token": bobs_token}
    )
    assert answer.status_code == 403
    assert (await site.services.tickets.get(site.actor("alice"), ticket.id)).status is Status.OPEN


async def test_members_get_no_staff_pages_or_actions(site, guild_url):
    ticket = await site.open_ticket("alice")
    await site.log_in("alice")
    for path in ("/stats", "/reviews", "/admin"):
        answer = await site.http.get(guild_url + path)
        assert answer.status_code == 403, path
    page = f"{guild_url}/tickets/{ticket.id}"
    viewed = await site.http.get(page)
    assert ">Claim</button>" not in viewed.text and "/stats" not in viewed.text
    claim = await site.post(f"{page}/claim", page)
    assert claim.status_code == 403 and "staff" in claim.text.lower()
    priority = await site.post(f"{page}/priority", page, priority="urgent")
    assert priority.status_code == 403
    assert site.jobs() == []


async def test_another_servers_ticket_is_not_found(site, guild_url):
    second = site.fake.state.build_guild("Second Server")
    site.fake.state.bot_guild_ids.append(second.id)
    await set_up_desk(site.services, second)
    owner = site.fake.state.member_named(second, "alice")
    elsewhere = await site.services.tickets.create(
        Actor(user_id=int(owner["user"]["id"]), guild_id=second.id),
        subject="Other desk",
        message="Not yours to see",
    )
    await site.log_in("staff")
    answer = await site.http.get(f"{guild_url}/tickets/{elsewhere.id}")
    assert answer.status_code == 404 and f"#{elsewhere.id}" in answer.text
    # Nor by naming the other server: staff here are not members there.
    other = await site.http.get(f"/servers/{second.id}/tickets/{elsewhere.id}")
    assert other.status_code == 404


async def test_malformed_ids_are_pages_not_found(site, guild_url):
    await site.log_in("alice")
    for path in ("/tickets/abc", "/tickets/-1", "/tickets/99999999"):
        answer = await site.http.get(guild_url + path)
        assert answer.status_code == 404, path
    assert (await site.http.get("/servers/xyz/tickets")).status_code == 404


async def test_mentions_in_messages_read_as_words(site, guild_url):
    ticket = await site.open_ticket("alice")
    staff = site.actor("staff", staff=True)
    await site.services.tickets.reply(staff, ticket.id, "Ask <@123> or <@&456> in <#789>")
    await site.log_in("alice")
    page = await site.http.get(f"{guild_url}/tickets/{ticket.id}")
    assert "Ask @user 123 or @role 456 in #channel 789" in page.text


async def test_the_ticket_page_names_who_staff_added(site, guild_url):
    ticket = await site.open_ticket("alice")
    staff = site.actor("staff", staff=True)
    await site.services.participants.add_member(staff, ticket.id, site.user_id("bob"))
    await site.log_in("bob")
    page = await site.http.get(f"{guild_url}/tickets/{ticket.id}")
    assert "Added to the ticket" in page.text and "<dd>you</dd>" in page.text
    await site.log_in("alice")
    page = await site.http.get(f"{guild_url}/tickets/{ticket.id}")
    assert f"user {site.user_id('bob')}</dd>" in page.text
