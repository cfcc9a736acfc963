"""Every refusal of SPEC §8 over real HTTP: the status, and the sentence Discord users get
(without Discord's markup), naming the field where there is one."""

from __future__ import annotations

import pytest

from tests.e2e.api.helpers import create_key, member_id, open_over_http, ready, thread_of
from tests.e2e.helpers import raw_slash, set_up


@pytest.mark.postgres
async def test_feature_flag_off_is_503_with_the_flag_sentence(api):
    auth = await ready(api)
    await api.desk.member("admin").slash("admin feature", name="ticketing", enabled=False)
    answer = await api.http.get("/api/tickets", headers=auth)
    assert answer.status_code == 503
    assert answer.json() == {
        "error": "Ticketing is disabled on this server. An admin can turn it on."
    }
    created = await api.http.post(
        "/api/tickets/create",
        json={"subject": "a", "message": "b", "user_id": member_id(api, "alice")},
        headers=auth,
    )
    assert created.status_code == 503
    await api.desk.member("admin").slash("admin feature", name="applications", enabled=False)
    forms = await api.http.get("/api/applications/forms", headers=auth)
    assert forms.status_code == 503 and forms.json()["error"].startswith("Applications is")


async def test_credentials_missing_bad_and_revoked_are_401(api):
    auth = await ready(api)
    assert (await api.http.get("/api/tickets")).status_code == 401
    wrong = {"Authorization": "Bearer tdk_0123456789ab_not-a-real-key-at-all-00"}
    assert (await api.http.get("/api/tickets", headers=wrong)).status_code == 401
    assert (await api.http.get("/api/tickets", headers=auth)).status_code == 200
    revoked = await api.desk.member("admin").slash("admin api-key revoke", name="CRM")
    assert "revoked" in revoked.text
    answer = await api.http.get("/api/tickets", headers=auth)
    assert answer.status_code == 401 and "revoked" in answer.json()["error"]
    # Only admins manage keys; the key itself is never in the log channel.
    refused = await raw_slash(api.desk, "alice", "admin api-key list")
    assert "Only server admins" in refused.text
    logged = " ".join(m.text for m in api.desk.messages("logs"))
    assert "created API key “CRM”" in logged and "tdk_" not in logged


async def test_not_yours_unknown_closed_and_limits(api):
    auth = await ready(api, max_open_tickets=1)
    alice, bob = member_id(api, "alice"), member_id(api, "bob")
    ticket = await open_over_http(api, auth, "alice")
    thread = await thread_of(api, ticket["id"])
    # A member sees only their own tickets; a ticket of someone else is 403.
    other = await api.http.get(f"/api/tickets/{ticket['id']}?user_id={bob}", headers=auth)
    assert other.status_code == 403
    assert other.json()["error"].startswith(f"Ticket #{ticket['id']} belongs to someone else")
    assert (await api.http.get("/api/tickets/999999", headers=auth)).json() == {
        "error": "Ticket #999999 was not found."
    }
    # Her cap: one open ticket (409), the sentence without the slash-command hints.
    capped = await api.http.post(
        "/api/tickets", json={"subject": "b", "message": "c", "user_id": alice}, headers=auth
    )
    assert capped.status_code == 409
    assert capped.json()["error"] == (
        "You already have 1 open ticket here (the limit is 1). Add to it, or close it."
    )
    # Someone not in the server can't have a ticket opened for them.
    stranger = await api.http.post(
        "/api/tickets", json={"subject": "b", "message": "c", "user_id": "42"}, headers=auth
    )
    assert stranger.status_code == 400 and stranger.json()["field"] == "user_id"
    # Closed over HTTP: the thread is archived and locked as for /ticket close.
    closed = await api.http.put(
        f"/api/tickets/{ticket['id']}",
        json={"reply": "Closing this, it's fixed.", "status": "closed", "reason": "Fixed"},
        headers=auth,
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["ticket"]["status"] == "closed"
    assert closed.json()["ticket"]["thread_id"] == str(thread.id)
    await api.desk.next_message(thread, "Closing this, it's fixed.")
    await api.desk.wait_for(lambda: api.desk.channel(thread).locked, 15.0, "thread locked")
    assert api.desk.channel(thread).archived
    await api.desk.next_message("logs", f"Ticket #{ticket['id']} was closed")
    late = await api.http.post(
        f"/api/tickets/{ticket['id']}/reply", json={"message": "one more"}, headers=auth
    )
    assert late.status_code == 409
    assert late.json()["error"] == f"Ticket #{ticket['id']} is closed; ask staff to reopen it."


@pytest.mark.bot_env(API_RATE_LIMIT="3", API_RATE_WINDOW_SECONDS="3600")
async def test_rate_limit_per_credential_is_429_with_retry_after(api):
    auth = await ready(api)
    other = {"Authorization": f"Bearer {await create_key(api, 'Other')}"}
    statuses = [(await api.http.get("/api/tickets", headers=auth)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = await api.http.get("/api/tickets", headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "Too many requests" in limited.json()["error"]
    # Counted per credential: another key is not held back.
    assert (await api.http.get("/api/tickets", headers=other)).status_code == 200


async def test_bodies_over_64_kib_are_413(api):
    auth = await ready(api)
    huge = {"subject": "a", "message": "x" * 70_000, "user_id": member_id(api, "alice")}
    answer = await api.http.post("/api/tickets/create", json=huge, headers=auth)
    assert answer.status_code == 413 and "64 KiB" in answer.json()["error"]


async def test_another_servers_ticket_is_404(api_factory):
    api = await api_factory({"DEV_GUILD_ID": None})
    auth = await ready(api)
    await api.desk.wait_for(lambda: "ready as" in api.desk.bot.stderr_tail(), message="ready")
    ticket = await open_over_http(api, auth, "alice")
    other = api.desk.in_guild(api.desk.join_guild("Second Server"))
    await other.wait_for(lambda: other.messages("general"), message="the greeting in B")
    await set_up(other)
    reply = await other.member("admin").slash("admin api-key create", name="B")
    key_b = {"Authorization": f"Bearer {reply.text.split('```')[1].strip()}"}
    answer = await api.http.get(f"/api/tickets/{ticket['id']}", headers=key_b)
    assert answer.status_code == 404
    assert (await api.http.get("/api/tickets", headers=key_b)).json()["total"] == 0
