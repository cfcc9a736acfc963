"""A dashboard login is also an API credential: the member's own tickets, staff powers by
their roles, `guild_id` to name the server, and the CSRF header for changes."""

from __future__ import annotations


async def test_a_member_reads_their_own_tickets_through_the_api(site):
    mine = await site.open_ticket("alice", "Mine")
    await site.open_ticket("bob", "Not mine")
    await site.log_in("alice")
    listed = await site.http.get("/api/tickets")
    assert listed.status_code == 200, listed.text
    assert [t["id"] for t in listed.json()["tickets"]] == [mine.id]
    stats = await site.http.get("/api/tickets/stats")
    assert stats.status_code == 403


async def test_staff_by_role_see_every_ticket(site):
    await site.open_ticket("alice")
    await site.open_ticket("bob")
    await site.log_in("staff")
    answer = await site.http.get("/api/tickets", params={"guild_id": str(site.guild_id)})
    assert answer.json()["total"] == 2
    assert (await site.http.get("/api/tickets/stats")).status_code == 200


async def test_a_change_needs_the_csrf_header(site):
    ticket = await site.open_ticket("alice")
    await site.log_in("alice")
    body = {"message": "From a script"}
    refused = await site.http.post(f"/api/tickets/{ticket.id}/reply", json=body)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["error"]
    token = await site.csrf(f"/servers/{site.guild_id}/tickets")
    sent = await site.http.post(
        f"/api/tickets/{ticket.id}/reply", json=body, headers={"X-CSRF-Token": token}
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["reply"]["body"] == "From a script"


async def test_an_expired_session_or_another_server_is_refused(site):
    await site.log_in("alice")
    other = await site.http.get("/api/tickets", params={"guild_id": "123456789012345678"})
    assert other.status_code == 403
    site.clock.advance(hours=13)
    expired = await site.http.get("/api/tickets")
    assert expired.status_code == 401 and "log in again" in expired.json()["error"]
