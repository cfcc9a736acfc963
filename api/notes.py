"""`/api/tickets/{id}/notes`: staff notes over HTTP, as `/ticket note` and the dashboard.

Staff only (a member's call is refused 403, as in Discord). A note added here is logged in
the server's Discord log channel (who and which ticket, never its words) by the bot,
through the jobs outbox; it is never posted in the thread nor sent in a webhook.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api import schemas
from api.auth import Caller, caller
from api.errors import ERROR_RESPONSES
from api.limits import known_query_parameters
from core.public import note_view

router = APIRouter(
    prefix="/api/tickets",
    tags=["staff notes"],
    responses=ERROR_RESPONSES,
    dependencies=[Depends(known_query_parameters)],
)
Calling = Annotated[Caller, Depends(caller)]


@router.get(
    "/{ticket_id}/notes",
    summary="A ticket's staff notes, oldest first (staff only)",
    response_model=schemas.NoteList,
)
async def list_notes(calling: Calling, ticket_id: int) -> dict[str, Any]:
    actor, _ = await calling.acting()
    notes = await calling.services.notes.list(actor, ticket_id)
    return {"notes": [note_view(note) for note in notes]}


@router.post(
    "/{ticket_id}/notes",
    summary="Keep a staff note on a ticket (staff only)",
    status_code=201,
    response_model=schemas.NoteAdded,
)
async def add_note(calling: Calling, ticket_id: int, body: schemas.AddNote) -> dict[str, Any]:
    actor, _ = await calling.acting(body.user_id)
    with calling.writing():
        _, note = await calling.services.notes.add(actor, ticket_id, body.text)
    calling.discord.work_queued()  # the log channel hears of it
    return {"success": True, "note": note_view(note)}
