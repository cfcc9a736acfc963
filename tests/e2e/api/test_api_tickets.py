"""Tickets over HTTP, end to end: the real bot process serves the API and does the Discord
side in the fake Discord; both ways."""

from __future__ import annotations

import pytest

from tests.e2e.api.helpers import eventually, member_id, open_over_http, ready, thread_of


@pytest.mark.postgres
async def test_a_ticket_opened_over_http_gets_its_thread_with_the_member(api):
    auth = await ready(api)
    ticket = await open_over_http(api, auth, subject="Printer", message="Blank pages only")
    assert ticket["owner_id"] == member_id(api, "alice")
    assert ticket["status"] == "open" and ticket["thread_id"] is None
    thread = await thread_of(api, ticket["id"])
    alice = api.desk.member("alice")
    assert alice.id in api.desk.thread_member_ids(thread)
    opening = await api.desk.next_message(thread, f"New ticket #{ticket['id']}")
    assert opening.mentioned_user_ids == [alice.id]
    assert "Blank pages only" in opening.text
    # The staff role is brought in, as for /ticket create.
    assert opening.mentioned_role_ids == [int(api.desk.role("Staff")["id"])]
    viewed = (await api.http.get(f"/api/tickets/{ticket['id']}", headers=auth)).json()
    assert viewed["thread_id"] == str(thread.id)


async def test_replies_go_both_ways(api):
    auth = await ready(api)
    ticket = await open_over_http(api, auth)
    thread = await thread_of(api, ticket["id"])
    # Over HTTP -> in the thread, showing who wrote it.
    answer = await api.http.post(
        f"/api/tickets/{ticket['id']}/reply", json={"message": "Unplug it first."}, headers=auth
    )
    assert answer.status_code == 201, answer.text
    reply = answer.json()["reply"]
    assert reply["author_kind"] == "staff" and reply["body"] == "Unplug it first."
    posted = await api.desk.next_message(thread, "Unplug it first.")
    assert "API key “CRM”" in posted.text and "(staff" in posted.text
    # Typed in Discord -> in GET /api/tickets/{id}.
    await api.desk.member("alice").say(thread, "Done, it stopped burning.")

    async def bodies() -> list[str] | None:
        viewed = (await api.http.get(f"/api/tickets/{ticket['id']}", headers=auth)).json()
        found = [r["body"] for r in viewed["replies"]]
        return found if "Done, it stopped burning." in found else None

    assert await eventually(bodies) == [
        "It is really on fire.",
        "Unplug it first.",
        "Done, it stopped burning.",
    ]
    # The member's reply over HTTP (with a server key naming her) shows her as its author.
    mine = await api.http.post(
        f"/api/tickets/{ticket['id']}/reply",
        json={"message": "Thanks!", "user_id": member_id(api, "alice")},
        headers=auth,
    )
    assert mine.json()["reply"]["author_kind"] == "member"
    posted = await api.desk.next_message(thread, "Thanks!")
    assert f"<@{member_id(api, 'alice')}> (member" in posted.text
    assert posted.mentioned_user_ids == []  # shown, never pinged
