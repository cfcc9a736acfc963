"""What a ticket page's forms do: reply, claim, priority, department, resolve, close.
Each is one service call, made as the visitor; the service decides who may. (Reopening
stays in Discord, `/ticket reopen`: the thread must be unlocked before the ticket opens.)

A refused reply shows the ticket page again with the refusal and the text as typed, so
nothing is lost. Writes queue their Discord side (`Dashboard.writing`): the reply appears
in the ticket's thread, triage is said there (a new department's staff brought in), a
close archives it and posts the transcript.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from core.errors import DomainError
from dashboard.context import Dashboard
from dashboard.pages.tickets import choices, ticket_facts
from dashboard.visitors import Place
from dashboard.web import page, refusal, see_other, status_for, visitor_speech


def register(router: APIRouter, dash: Dashboard) -> None:
    tickets = dash.services.tickets

    def back(place: Place, ticket_id: int, done: str) -> Response:
        return see_other(place.url(f"/tickets/{ticket_id}?done={done}"))

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/reply")
    async def reply(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        text = str(form.get("message", ""))
        try:
            with dash.writing(place):
                await tickets.store_reply(place.actor, ticket_id, text)
        except DomainError as error:
            return page(
                "ticket.html",
                status_code=status_for(error),
                visitor=place.session,
                place=place,
                **await ticket_facts(dash, place, ticket_id),
                notice=None,
                draft=text,
                problem=refusal(error, visitor_speech(place.session, place)),
                **choices(),
            )
        return back(place, ticket_id, "reply")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/claim")
    async def claim(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        await dash.posted(request, place.session)
        with dash.writing(place):
            await tickets.claim(place.actor, ticket_id)
        return back(place, ticket_id, "claim")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/priority")
    async def priority(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        with dash.writing(place):
            await tickets.set_priority(place.actor, ticket_id, form.get("priority"))
        return back(place, ticket_id, "priority")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/department")
    async def department(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        with dash.writing(place):
            await tickets.set_department(place.actor, ticket_id, form.get("department"))
        return back(place, ticket_id, "department")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/resolve")
    async def resolve(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        await dash.posted(request, place.session)
        with dash.writing(place):
            await tickets.resolve(place.actor, ticket_id)
        return back(place, ticket_id, "resolve")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/close")
    async def close(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        with dash.writing(place):
            await tickets.close(place.actor, ticket_id, form.get("reason") or None)
        return back(place, ticket_id, "close")
