"""Outgoing webhooks end to end: signed, in order per ticket, retried while the receiver is
down and after the bot restarts, and a receiver that keeps failing reported once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.api.helpers import member_id, open_over_http, ready, thread_of
from tests.fakes.webhook_receiver import WebhookReceiver

# Rules that differ by backend: every test here runs on PostgreSQL too.
pytestmark = pytest.mark.postgres

FAST_RETRIES = {"WEBHOOK_ALLOW_PRIVATE_URLS": "true", "WEBHOOK_RETRY_SECONDS": "0.1"}


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    await receiver.start()
    yield receiver
    await receiver.stop()


async def add_webhook(api, receiver: WebhookReceiver, events: str | None = None) -> None:
    options = {"url": receiver.url} | ({"events": events} if events else {})
    reply = await api.desk.member("admin").slash("admin webhook add", **options)
    assert "Webhook #1 added" in reply.text, reply.text
    receiver.secret = reply.text.split("```")[1].strip()


async def received(api, receiver: WebhookReceiver, count: int) -> list[str]:
    await api.desk.wait_for(lambda: len(receiver.deliveries) >= count, 15.0, f"{count} deliveries")
    return receiver.events()


@pytest.mark.bot_env(**FAST_RETRIES)
async def test_events_arrive_signed_and_in_order(api, receiver):
    auth = await ready(api)
    await add_webhook(api, receiver)
    ticket = await open_over_http(api, auth)
    thread = await thread_of(api, ticket["id"])
    await api.http.post(
        f"/api/tickets/{ticket['id']}/reply", json={"message": "Unplug it."}, headers=auth
    )
    await api.desk.member("alice").say(thread, "Unplugged.")
    events = await received(api, receiver, 5)
    assert events == [
        "ticket.created",
        "ticket.replied",
        "ticket.status_changed",
        "ticket.replied",
        "ticket.status_changed",
    ]
    assert all(d.signed for d in receiver.deliveries)
    created = receiver.deliveries[0].body
    assert created["ticket"]["owner_id"] == member_id(api, "alice")
    assert created["guild_id"] == str(api.desk.guild_id)
    assert created["id"] == receiver.deliveries[0].delivery_id
    staff_reply, change = receiver.deliveries[1].body, receiver.deliveries[2].body
    assert (
        staff_reply["reply"]["body"] == "Unplug it."
        and staff_reply["reply"]["author_kind"] == "staff"
    )
    assert (change["previous_status"], change["status"]) == ("open", "pending")
    assert receiver.deliveries[3].body["reply"]["body"] == "Unplugged."


@pytest.mark.bot_env(**FAST_RETRIES)
async def test_retried_while_the_receiver_is_down_and_after_a_restart(api, receiver):
    auth = await ready(api)
    await add_webhook(api, receiver, "ticket.created, ticket.closed")
    receiver.failing = True
    ticket = await open_over_http(api, auth)
    await api.desk.wait_for(lambda: receiver.attempts >= 3, 15.0, "three failed attempts")
    assert receiver.deliveries == []
    receiver.failing = False
    assert await received(api, receiver, 1) == ["ticket.created"]

    # Down for good (connections refused), then the bot restarts: nothing is lost.
    await thread_of(api, ticket["id"])
    await receiver.stop()
    closed = await api.http.put(
        f"/api/tickets/{ticket['id']}", json={"status": "closed"}, headers=auth
    )
    assert closed.status_code == 200
    await api.desk.restart_bot()
    await receiver.start()
    assert await received(api, receiver, 2) == ["ticket.created", "ticket.closed"]
    assert receiver.deliveries[1].body["ticket"]["status"] == "closed"


@pytest.mark.bot_env(**FAST_RETRIES)
async def test_a_receiver_that_keeps_failing_is_reported_once(api, receiver):
    auth = await ready(api)
    await add_webhook(api, receiver)
    receiver.failing = True
    await open_over_http(api, auth)
    report = await api.desk.next_message("logs", "Webhook #1", timeout=20.0)
    assert "keeps failing" in report.text and receiver.url in report.text
    attempts = receiver.attempts
    await api.desk.wait_for(lambda: receiver.attempts >= attempts + 2, 20.0, "more attempts")
    assert sum("keeps failing" in m.text for m in api.desk.messages("logs")) == 1
    listed = await api.desk.member("admin").slash("admin webhook list")
    assert "failing" in listed.text
    removed = await api.desk.member("admin").slash("admin webhook remove", webhook_id=1)
    assert "removed" in removed.text
