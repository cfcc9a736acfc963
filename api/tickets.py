"""`/api/tickets…` (SPEC §8): the same services as `/ticket` in Discord, the same rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api import schemas
from api.auth import Caller, caller
from api.errors import ERROR_RESPONSES
from api.limits import known_query_parameters
from core.errors import InvalidInput
from core.models import Status, TicketStats
from core.public import closing_view, participant_view, reply_view, ticket_view

router = APIRouter(
    prefix="/api/tickets",
    tags=["tickets"],
    responses=ERROR_RESPONSES,
    dependencies=[Depends(known_query_parameters)],
)
Calling = Annotated[Caller, Depends(caller)]
UserId = Annotated[
    str | None,
    Query(
        description="With a server key: act as this member (their tickets only, unless "
        "their roles make them staff)."
    ),
]

PAGE_MAX = 1_000_000
LIMIT_MAX = 100
CLOSE_STATUSES = ("resolved", "closed")


def _between(field: str, value: int | None, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    if not low <= value <= high:
        raise InvalidInput(field, "input.between", low=low, high=high)
    return value


@router.get("", summary="List tickets", response_model=schemas.TicketPage)
async def list_tickets(
    calling: Calling,
    status: Annotated[str | None, Query(json_schema_extra={"enum": schemas.STATUSES})] = None,
    priority: Annotated[str | None, Query(json_schema_extra={"enum": schemas.PRIORITIES})] = None,
    department: Annotated[
        str | None, Query(json_schema_extra={"enum": schemas.DEPARTMENTS})
    ] = None,
    page: Annotated[
        int | None,
        Query(description="1-based", json_schema_extra={"minimum": 1, "maximum": PAGE_MAX}),
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            description="25 by default, at most 100",
            json_schema_extra={"minimum": 1, "maximum": LIMIT_MAX},
        ),
    ] = None,
    user_id: UserId = None,
) -> dict[str, Any]:
    """Newest first: a member's own tickets, or every ticket of the server for staff."""
    filters = {"status": status, "priority": priority, "department": department}
    for name, value in filters.items():
        if value is not None and not value.strip():  # an empty filter is a mistake, not "all"
            choices = {"status": schemas.STATUSES, "priority": schemas.PRIORITIES}
            raise InvalidInput(name, "input.one_of", choices=choices.get(name, schemas.DEPARTMENTS))
    number = _between("page", page, 1, 1, PAGE_MAX)
    size = _between("limit", limit, 25, 1, LIMIT_MAX)
    actor, _ = await calling.acting(user_id)
    found = await calling.services.tickets.list(
        actor,
        status=status,
        priority=priority,
        department=department,
        page=number - 1,
        page_size=size,
    )
    return {
        "tickets": [ticket_view(t) for t in found.items],
        "total": found.total,
        "page": number,
        "limit": size,
    }


async def _create(calling: Caller, body: schemas.CreateTicket) -> dict[str, Any]:
    actor, _ = await calling.acting(body.user_id, member_required=True)
    with calling.writing():
        ticket = await calling.services.tickets.create(
            actor,
            subject=body.subject,
            message=body.message,
            priority=body.priority,
            department=body.department,
        )
    calling.discord.ticket_waiting()  # its thread opens as for `/ticket create`
    return {"success": True, "ticket": ticket_view(ticket)}


@router.post(
    "/create", summary="Open a ticket", status_code=201, response_model=schemas.TicketCreated
)
async def create_ticket(calling: Calling, body: schemas.CreateTicket) -> dict[str, Any]:
    """The ticket's private Discord thread opens as for `/ticket create`: the member is
    added and told there, staff are brought in."""
    return await _create(calling, body)


@router.post(
    "",
    summary="Open a ticket (EcliPanel's path)",
    status_code=201,
    response_model=schemas.TicketCreated,
)
async def create_ticket_alias(calling: Calling, body: schemas.CreateTicket) -> dict[str, Any]:
    return await _create(calling, body)


@router.get("/stats", summary="Ticket statistics (staff)", response_model=schemas.Stats)
async def stats(calling: Calling, user_id: UserId = None) -> dict[str, Any]:
    actor, _ = await calling.acting(user_id)
    counted: TicketStats = await calling.services.tickets.stats(actor)
    return {
        **{status.value: counted.by_status.get(status, 0) for status in Status},
        "by_department": {d.value: n for d, n in counted.by_department.items()},
        "by_priority": {p.value: n for p, n in counted.by_priority.items()},
        "median_first_response_seconds": counted.median_first_response_seconds,
    }


@router.get(
    "/{ticket_id}",
    summary="A ticket and its whole conversation",
    response_model=schemas.TicketWithReplies,
)
async def view_ticket(calling: Calling, ticket_id: int, user_id: UserId = None) -> dict[str, Any]:
    actor, _ = await calling.acting(user_id)
    ticket, replies = await calling.services.tickets.all_replies(actor, ticket_id)
    people = await calling.services.participants.of_ticket(actor, ticket.id)
    return {
        **ticket_view(ticket),
        **closing_view(ticket),
        "message": ticket.message,
        "replies": [reply_view(r) for r in replies],
        "participants": [participant_view(p) for p in people],
    }


async def _reply(calling: Caller, ticket_id: int, text: object, user_id: object) -> Any:
    actor, _ = await calling.acting(user_id)
    with calling.writing():
        stored = await calling.services.tickets.store_reply(actor, ticket_id, text)
    calling.discord.work_queued()  # posted in the thread by the bot
    return stored


@router.post(
    "/{ticket_id}/reply",
    summary="Reply to a ticket",
    status_code=201,
    response_model=schemas.ReplyCreated,
)
async def reply(calling: Calling, ticket_id: int, body: schemas.ReplyToTicket) -> dict[str, Any]:
    """Stored at once and posted in the ticket's Discord thread, showing who wrote it."""
    stored = await _reply(calling, ticket_id, body.message, body.user_id)
    return {"success": True, "reply": reply_view(stored.reply)}


@router.put(
    "/{ticket_id}",
    summary="Reply and/or resolve or close (EcliPanel's path)",
    response_model=schemas.TicketUpdated,
)
async def update(calling: Calling, ticket_id: int, body: schemas.UpdateTicket) -> dict[str, Any]:
    if body.reply is None and body.status is None:
        raise InvalidInput("body", "api.update_empty")
    status = body.status.strip().lower() if isinstance(body.status, str) else None
    if body.status is not None and status not in CLOSE_STATUSES:
        raise InvalidInput("status", "input.one_of", choices=list(CLOSE_STATUSES))
    if body.reason is not None and status != "closed":
        raise InvalidInput("reason", "api.reason_without_close")
    answer: dict[str, Any] = {"success": True, "reply": None}
    tickets = calling.services.tickets
    ticket = None
    if body.reply is not None:
        stored = await _reply(calling, ticket_id, body.reply, body.user_id)
        answer["reply"], ticket = reply_view(stored.reply), stored.ticket
    if status is not None:
        actor, _ = await calling.acting(body.user_id)
        with calling.writing():
            if status == "resolved":
                ticket = await tickets.resolve(actor, ticket_id)
            else:
                ticket = await tickets.close(actor, ticket_id, body.reason)
        calling.discord.work_queued()  # the close's Discord side: archive, transcripts
    assert ticket is not None
    answer["ticket"] = ticket_view(ticket)
    return answer
