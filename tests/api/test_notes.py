"""Staff notes over HTTP: staff keep and read them; members can't; the ticket's own view
and its replies never carry them."""

from __future__ import annotations

from tests.api.conftest import ADMIN, ALICE, BOB_STAFF


async def _ticket(api) -> int:
    created = await api.http.post(
        "/api/tickets/create",
        json={"subject": "Printer", "message": "On fire", "user_id": str(ALICE)},
        headers=api.auth(),
    )
    return created.json()["ticket"]["id"]


async def test_staff_keep_and_read_notes(api):
    ticket_id = await _ticket(api)
    notes = f"/api/tickets/{ticket_id}/notes"
    kept = await api.http.post(notes, json={"text": "VIP customer"}, headers=api.auth())
    assert kept.status_code == 201, kept.text
    assert kept.json()["note"]["author_id"] == str(ADMIN.user_id)  # the key acts as its creator
    assert api.discord.nudges[-1] == "work_queued"  # the log channel hears of it
    by_bob = {"text": "Refund approved", "user_id": str(BOB_STAFF)}
    assert (await api.http.post(notes, json=by_bob, headers=api.auth())).status_code == 201

    listed = (await api.http.get(notes, headers=api.auth())).json()["notes"]
    assert [(n["author_id"], n["body"]) for n in listed] == [
        (str(ADMIN.user_id), "VIP customer"),
        (str(BOB_STAFF), "Refund approved"),
    ]
    viewed = (await api.http.get(f"/api/tickets/{ticket_id}", headers=api.auth())).text
    assert "VIP customer" not in viewed and "Refund approved" not in viewed


async def test_members_and_bad_notes_are_refused(api):
    ticket_id = await _ticket(api)
    notes = f"/api/tickets/{ticket_id}/notes"
    as_alice = {"text": "I am staff now", "user_id": str(ALICE)}
    refused = await api.http.post(notes, json=as_alice, headers=api.auth())
    assert refused.status_code == 403 and "staff" in refused.json()["error"]
    empty = await api.http.post(notes, json={"text": "  "}, headers=api.auth())
    assert empty.status_code == 400 and empty.json()["field"] == "text"
    unknown = await api.http.get("/api/tickets/999999/notes", headers=api.auth())
    assert unknown.status_code == 404
    assert (await api.http.get(notes, headers=api.auth())).json() == {"notes": []}
