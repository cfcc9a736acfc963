"""Tickets: the list (a member's own, or the staff queue with the `/ticket list` filters),
one ticket with its conversation, and its transcript."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from core.models import Department, Priority, Status
from core.transcript import render_html, render_text
from dashboard.context import Dashboard
from dashboard.visitors import Place
from dashboard.web import SECURITY_HEADERS, page, visitor_speech
from i18n import N_

# Notices shown after an action, by a fixed key: nothing from the request is echoed.
DONE = {
    "reply": N_("Your reply was sent. It appears in the ticket's Discord thread in a moment."),
    "claim": N_("You are handling this ticket; the thread is told."),
    "priority": N_("Priority changed."),
    "department": N_("Department changed; its staff are brought in on Discord."),
    "resolve": N_("Marked resolved. A new message from the member reopens it."),
    "close": N_("Ticket closed. The thread is archived and the transcript logged on Discord."),
    "note": N_("Note kept. Staff see it here and in Discord; the member never does."),
    "tag": N_("Saved reply sent. It appears in the ticket's Discord thread in a moment."),
}
# The transcript is a document of its own: no script may run in it, whatever it holds.
TRANSCRIPT_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; frame-ancestors 'self'; sandbox",
}


# Saved replies offered beside the reply box, by name (an admin keeps far fewer).
TAG_CHOICES = 100


async def ticket_facts(dash: Dashboard, place: Place, ticket_id: int) -> dict[str, Any]:
    """What ticket.html shows of a ticket: itself, its whole conversation, who staff added
    to it and, for staff, their notes; each read as the visitor (the services decide who
    may see what). The drafts and problems of the page's two text boxes start empty."""
    services = dash.services
    ticket, replies = await services.tickets.all_replies(place.actor, ticket_id)
    people = await services.participants.of_ticket(place.actor, ticket.id)
    notes = await services.notes.list(place.actor, ticket.id) if place.staff else []
    sendable = place.staff and ticket.status is not Status.CLOSED
    tags = (await services.tags.page(place.actor, 0, TAG_CHOICES)).items if sendable else ()
    return {
        "ticket": ticket,
        "replies": replies,
        "people": people,
        "notes": notes,
        "tags": tags,
        "draft": "",
        "problem": None,
        "note_draft": "",
        "note_problem": None,
    }


def choices() -> dict[str, list[str]]:
    return {
        "statuses": [s.value for s in Status],
        "priorities": [p.value for p in Priority],
        "departments": [d.value for d in Department],
    }


def register(router: APIRouter, dash: Dashboard) -> None:
    tickets = dash.services.tickets

    @router.get("/servers/{guild_id}/tickets")
    async def ticket_list(
        request: Request,
        guild_id: int,
        status: str = "",
        department: str = "",
        priority: str = "",
        page_number: int = Query(1, alias="page"),
    ) -> Response:
        place = await dash.visitors.place(request, guild_id)
        found = await tickets.list(
            place.actor,
            status=status or None,
            department=department or None,
            priority=priority or None,
            page=max(page_number, 1) - 1,
            page_size=25,
        )
        filters = {"status": status, "department": department, "priority": priority}
        return page(
            "tickets.html",
            visitor=place.session,
            place=place,
            tickets=found,
            filters=filters,
            query=urlencode({k: v for k, v in filters.items() if v}),
            **choices(),
        )

    @router.get("/servers/{guild_id}/tickets/{ticket_id}")
    async def ticket_view(
        request: Request, guild_id: int, ticket_id: int, done: str = ""
    ) -> Response:
        place = await dash.visitors.place(request, guild_id)
        return page(
            "ticket.html",
            visitor=place.session,
            place=place,
            **await ticket_facts(dash, place, ticket_id),
            notice=DONE.get(done),
            **choices(),
        )

    @router.get("/servers/{guild_id}/tickets/{ticket_id}/transcript")
    async def transcript_page(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        ticket = await tickets.get(place.actor, ticket_id)
        return page("transcript.html", visitor=place.session, place=place, ticket=ticket)

    @router.get("/servers/{guild_id}/tickets/{ticket_id}/transcript.{kind}")
    async def transcript_file(
        request: Request, guild_id: int, ticket_id: int, kind: str, download: int = 0
    ) -> Response:
        place = await dash.visitors.place(request, guild_id)
        if kind not in ("html", "txt"):
            return page(
                "error.html",
                404,
                title=visitor_speech(place.session, place)._("Page not found"),
                detail="",
                visitor=place.session,
                place=place,
            )
        ticket, replies = await tickets.all_replies(place.actor, ticket_id)
        render, media = (
            (render_html, "text/html") if kind == "html" else (render_text, "text/plain")
        )
        headers = dict(TRANSCRIPT_HEADERS)
        if download:
            headers["Content-Disposition"] = f'attachment; filename="ticket-{ticket.id}.{kind}"'
        return Response(
            render(ticket, replies), media_type=f"{media}; charset=utf-8", headers=headers
        )
