"""What a ticket page's forms do: reply, saved reply (tag), staff note, claim, priority,
department, resolve, close.
Each is one service call, made as the visitor; the service decides who may. (Reopening
stays in Discord, `/ticket reopen`: the thread must be unlocked before the ticket opens.)

A refused reply shows the ticket page again with the refusal and the text as typed, so
nothing is lost. Writes queue their Discord side (`Dashboard.writing`): the reply appears
in the ticket's thread, triage is said there (a new department's staff brought in), a
close archives it and posts the transcript, a note is logged (who, not its words).
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
            return await refused_on_page(place, ticket_id, error, draft=text)
        return back(place, ticket_id, "reply")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/tag")
    async def tag(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        try:
            with dash.writing(place):  # posted in the thread as the visitor's reply
                await dash.services.tags.use(place.actor, ticket_id, str(form.get("tag", "")))
        except DomainError as error:
            return await refused_on_page(place, ticket_id, error, draft="")
        return back(place, ticket_id, "tag")

    @router.post("/servers/{guild_id}/tickets/{ticket_id}/note")
    async def note(request: Request, guild_id: int, ticket_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        text = str(form.get("note", ""))
        try:
            with dash.writing(place):  # the log channel hears who kept a note
                await dash.services.notes.add(place.actor, ticket_id, text)
        except DomainError as error:
            return await refused_on_page(place, ticket_id, error, note_draft=text)
        return back(place, ticket_id, "note")

    async def refused_on_page(
        place: Place, ticket_id: int, error: DomainError, **typed: str
    ) -> Response:
        """The ticket page again with the refusal beside the box, its text as typed."""
        facts = await ticket_facts(dash, place, ticket_id)
        problem = refusal(error, visitor_speech(place.session, place))
        box = "note_" if "note_draft" in typed else ""
        facts.update(typed, **{f"{box}problem": problem})
        return page(
            "ticket.html",
            status_code=status_for(error),
            visitor=place.session,
            place=place,
            **facts,
            notice=None,
            **choices(),
        )

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
