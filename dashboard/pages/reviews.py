"""Application forms: a member's own submissions and their outcome; for staff, the review
queue across every form with Accept / Reject and a note."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from core.form_models import FormSubmission, SubmissionStatus
from core.form_schema import QuestionKind
from dashboard.context import Dashboard
from dashboard.web import page, see_other, visitor_speech
from i18n import N_, Speech

DONE = {
    "accepted": N_("Application accepted; the member is told on Discord."),
    "rejected": N_("Application rejected; the member is told on Discord."),
}


def answer_rows(item: FormSubmission, t: Speech) -> list[dict[str, Any]]:
    """Each question with its answer as text, or as links for uploaded files."""
    rows = []
    for question in item.form.questions:
        value = item.submission.answers.get(question.id)
        links: list[tuple[str, str]] = []
        if question.kind is QuestionKind.FILE and value:
            files = value if isinstance(value, list) else [value]
            links = [
                (str(f.get("filename", "file")), str(f.get("url", "")))
                for f in files
                if isinstance(f, dict) and str(f.get("url", "")).startswith(("https://", "http://"))
            ]
            text = ""
        elif value is None or value == "" or value == []:
            text = t._("(no answer)")
        elif isinstance(value, bool):
            text = t._("Yes") if value else t._("No")
        elif isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        rows.append({"label": question.label, "text": text, "links": links})
    return rows


def register(router: APIRouter, dash: Dashboard) -> None:
    forms = dash.services.forms

    @router.get("/servers/{guild_id}/applications")
    async def my_applications(
        request: Request, guild_id: int, page_number: int = Query(1, alias="page")
    ) -> Response:
        place = await dash.visitors.place(request, guild_id)
        found = await forms.my_submissions(place.actor, page=max(page_number, 1) - 1)
        return page(
            "applications.html",
            visitor=place.session,
            place=place,
            submissions=found,
            rows={
                i.submission.id: answer_rows(i, visitor_speech(place.session, place))
                for i in found.items
            },
        )

    @router.get("/servers/{guild_id}/reviews")
    async def review_queue(
        request: Request,
        guild_id: int,
        status: str = "pending",
        page_number: int = Query(1, alias="page"),
        done: str = "",
    ) -> Response:
        place = await dash.visitors.place(request, guild_id)
        found = await forms.review_queue(
            place.actor, status=status or None, page=max(page_number, 1) - 1
        )
        return page(
            "reviews.html",
            visitor=place.session,
            place=place,
            submissions=found,
            rows={
                i.submission.id: answer_rows(i, visitor_speech(place.session, place))
                for i in found.items
            },
            status=status,
            statuses=[s.value for s in SubmissionStatus],
            query=urlencode({"status": status}),
            notice=DONE.get(done),
        )

    @router.post("/servers/{guild_id}/reviews/{submission_id}")
    async def review(request: Request, guild_id: int, submission_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        accept = form.get("decision") == "accept"
        note = str(form.get("note") or "") or None
        with dash.writing(place):
            decided = await forms.review(place.actor, submission_id, accept, note)
        return see_other(place.url(f"/reviews?done={decided.status.value}"))
