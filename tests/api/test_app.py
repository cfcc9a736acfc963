"""The HTTP API in-process: routes, credentials, errors (the Discord side is recorded)."""

from __future__ import annotations

from core.models import Actor
from tests.api.conftest import ALICE, BOB_STAFF, GUILD


async def test_health_needs_no_credential(api):
    answer = await api.http.get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


async def test_openapi_document_and_docs_page(api):
    document = (await api.http.get("/api/openapi.json")).json()
    for path in (
        "/api/tickets",
        "/api/tickets/create",
        "/api/tickets/stats",
        "/api/tickets/{ticket_id}",
        "/api/tickets/{ticket_id}/reply",
        "/api/applications/forms",
        "/api/applications/forms/{form_id}/submit",
    ):
        assert path in document["paths"], path
    assert (await api.http.get("/api/docs")).status_code == 200


async def test_create_list_view_reply(api):
    created = await api.http.post(
        "/api/tickets/create",
        json={"subject": "Printer", "message": "On fire", "user_id": str(ALICE)},
        headers=api.auth(),
    )
    assert created.status_code == 201, created.text
    ticket = created.json()["ticket"]
    assert ticket["owner_id"] == str(ALICE) and ticket["status"] == "open"
    assert api.discord.nudges == ["ticket_waiting"]

    listed = (await api.http.get("/api/tickets", headers=api.auth())).json()
    assert listed["total"] == 1 and listed["page"] == 1 and listed["limit"] == 25

    replied = await api.http.post(
        f"/api/tickets/{ticket['id']}/reply", json={"message": "On it"}, headers=api.auth()
    )
    assert replied.status_code == 201, replied.text
    assert replied.json()["reply"]["author_kind"] == "staff"

    viewed = (await api.http.get(f"/api/tickets/{ticket['id']}", headers=api.auth())).json()
    assert viewed["message"] == "On fire"
    assert [r["body"] for r in viewed["replies"]] == ["On fire", "On it"]
    assert viewed["status"] == "pending" and viewed["participants"] == []

    staff = Actor(user_id=BOB_STAFF, guild_id=GUILD, is_staff=True)
    await api.services.participants.add_member(staff, ticket["id"], 77)
    viewed = (await api.http.get(f"/api/tickets/{ticket['id']}", headers=api.auth())).json()
    assert [(p["kind"], p["id"], p["added_by"]) for p in viewed["participants"]] == [
        ("member", "77", str(BOB_STAFF))
    ]


async def test_a_reply_over_http_queues_its_post_in_the_same_write(api):
    created = await api.http.post(
        "/api/tickets",
        json={"subject": "Printer", "message": "On fire", "user_id": ALICE},
        headers=api.auth(),
    )
    ticket_id = created.json()["ticket"]["id"]
    await api.http.post(
        f"/api/tickets/{ticket_id}/reply", json={"message": "Hi"}, headers=api.auth()
    )
    jobs = await api.services.discord_jobs.claim_due([GUILD])
    assert [(j.kind.value, j.payload["by"]) for j in jobs] == [("post_reply", "API key “CRM”")]


async def test_missing_and_bad_credentials(api):
    missing = await api.http.get("/api/tickets")
    assert missing.status_code == 401
    assert "Bearer" in missing.json()["error"]
    bad = await api.http.get(
        "/api/tickets", headers=api.auth("tdk_000000000000_nope-nope-nope-nope-1")
    )
    assert bad.status_code == 401


async def test_bad_input_names_the_field(api):
    answer = await api.http.post(
        "/api/tickets/create",
        json={"subject": "", "message": "x", "user_id": str(ALICE)},
        headers=api.auth(),
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "subject: must not be empty", "field": "subject"}
    unknown = await api.http.post(
        "/api/tickets/create",
        json={"subject": "a", "message": "x", "user_id": str(ALICE), "priorty": "high"},
        headers=api.auth(),
    )
    assert unknown.json()["field"] == "priorty"
    assert (await api.http.get("/api/tickets?limit=500", headers=api.auth())).json() == {
        "error": "limit: must be between 1 and 100",
        "field": "limit",
    }


async def test_a_server_key_must_name_the_member(api):
    answer = await api.http.post(
        "/api/tickets/create", json={"subject": "a", "message": "b"}, headers=api.auth()
    )
    assert answer.status_code == 400 and answer.json()["field"] == "user_id"


async def test_member_scoped_by_user_id(api):
    for who in (ALICE, BOB_STAFF):
        await api.http.post(
            "/api/tickets/create",
            json={"subject": "a", "message": "b", "user_id": who},
            headers=api.auth(),
        )
    mine = (await api.http.get(f"/api/tickets?user_id={ALICE}", headers=api.auth())).json()
    assert mine["total"] == 1
    staff = (await api.http.get(f"/api/tickets?user_id={BOB_STAFF}", headers=api.auth())).json()
    assert staff["total"] == 2
    stats = await api.http.get(f"/api/tickets/stats?user_id={ALICE}", headers=api.auth())
    assert stats.status_code == 403
    other = mine["tickets"][0]["id"] + 1
    assert (
        await api.http.get(f"/api/tickets/{other}?user_id={ALICE}", headers=api.auth())
    ).status_code == 403


async def test_unknown_ids_are_not_found(api):
    for ticket_id in ("999999", "0", "-1", "99999999999999999999999"):
        answer = await api.http.get(f"/api/tickets/{ticket_id}", headers=api.auth())
        assert answer.status_code == 404, (ticket_id, answer.text)
    assert (await api.http.get("/api/tickets/abc", headers=api.auth())).status_code == 400


async def test_body_over_64_kib(api):
    answer = await api.http.post(
        "/api/tickets/create",
        content=b'{"subject": "' + b"a" * 70_000 + b'"}',
        headers={**api.auth(), "content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert "64 KiB" in answer.json()["error"]


async def test_not_json_and_not_utf8(api):
    for body in (b"{nope", b'{"subject": "\xff\xfe"}', b"[]"):
        answer = await api.http.post(
            "/api/tickets/create",
            content=body,
            headers={**api.auth(), "content-type": "application/json"},
        )
        assert answer.status_code == 400, (body, answer.text)
        assert answer.json()["field"] == "body"


async def test_filters_must_be_known_values_and_parameters(api):
    empty = await api.http.get("/api/tickets?status=", headers=api.auth())
    assert empty.status_code == 400 and empty.json()["field"] == "status"
    wrong = await api.http.get("/api/tickets?priority=whenever", headers=api.auth())
    assert wrong.json() == {
        "error": "priority: must be one of urgent, high, medium, low",
        "field": "priority",
    }
    typo = await api.http.get("/api/tickets?stauts=open", headers=api.auth())
    assert typo.json() == {
        "error": "stauts: is not a parameter of this endpoint",
        "field": "stauts",
    }
    twice = await api.http.get("/api/tickets?status=open&status=closed", headers=api.auth())
    assert twice.json() == {"error": "status: is given more than once", "field": "status"}


class CookieSessions:
    """What the dashboard plugs in (issue 17): a session acting as one member, staff or
    not by their roles. Here the cookie simply names the member."""

    async def authenticate(self, request):
        from api.context import Principal
        from core.models import Actor

        user = request.cookies.get("session")
        if user is None:
            return None
        staff = int(user) == BOB_STAFF
        return Principal(
            guild_id=GUILD,
            actor=Actor(user_id=int(user), guild_id=GUILD, is_staff=staff),
            role_ids=frozenset(),
            bucket=f"session:{user}",
            label="the web dashboard",
            server_key=False,
        )


async def test_a_second_kind_of_credential_acts_as_its_member(api):
    from api.auth import add_authenticator

    add_authenticator(api.app, CookieSessions())
    for who in (ALICE, BOB_STAFF):
        await api.http.post(
            "/api/tickets/create",
            json={"subject": "a", "message": "b", "user_id": who},
            headers=api.auth(),
        )
    alice = {"Cookie": f"session={ALICE}"}
    mine = await api.http.get("/api/tickets", headers=alice)
    assert mine.status_code == 200 and mine.json()["total"] == 1
    assert (await api.http.get("/api/tickets/stats", headers=alice)).status_code == 403
    assert (await api.http.get("/api/tickets/2", headers=alice)).status_code == 403
    named = await api.http.get(f"/api/tickets?user_id={BOB_STAFF}", headers=alice)
    assert named.status_code == 403  # only a server key may act for someone else
    created = await api.http.post(
        "/api/tickets", json={"subject": "mine", "message": "too"}, headers=alice
    )
    assert created.status_code == 201 and created.json()["ticket"]["owner_id"] == str(ALICE)
    staff = await api.http.get("/api/tickets", headers={"Cookie": f"session={BOB_STAFF}"})
    assert staff.json()["total"] == 3
