"""`/api/applications/forms…` (SPEC §8): the forms a caller may submit, and submitting."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api import schemas
from api.auth import Caller, caller
from api.errors import ERROR_RESPONSES
from api.limits import known_query_parameters
from core.form_models import Form
from core.policy import is_staff
from core.public import form_view, snowflake
from wording.catalogue import say_plain

router = APIRouter(
    prefix="/api/applications/forms",
    tags=["forms"],
    responses=ERROR_RESPONSES,
    dependencies=[Depends(known_query_parameters)],
)
Calling = Annotated[Caller, Depends(caller)]


def _settings(form: Form) -> dict[str, Any]:
    return {
        "review_channel_id": snowflake(form.review_channel_id),
        "accept_role_id": snowflake(form.accept_role_id),
        "required_role_id": snowflake(form.required_role_id),
    }


@router.get("", summary="Forms the caller may submit", response_model=schemas.FormList)
async def list_forms(
    calling: Calling,
    user_id: Annotated[
        str | None, Query(description="With a server key: the forms this member may submit.")
    ] = None,
) -> dict[str, Any]:
    """A member gets the open forms with their submissions used and whether they may
    submit each (and why not); a server key naming nobody gets every form and its
    settings."""
    actor, roles = await calling.acting(user_id)
    forms = calling.services.forms
    if calling.principal.server_key and user_id is None:
        every = await forms.list_all(actor)
        return {
            "forms": [
                {**form_view(f), "submissions_used": None, "eligible": f.active, **_settings(f)}
                for f in every
            ]
        }
    listed = await forms.list_for_member(actor, roles)
    return {
        "forms": [
            {
                **form_view(item.form),
                "submissions_used": item.used,
                "eligible": item.eligible,
                "reason": say_plain(item.reason, calling.t) if item.reason else None,
                **(_settings(item.form) if is_staff(actor) else {}),
            }
            for item in listed
        ]
    }


@router.post(
    "/{form_id}/submit",
    summary="Submit a form",
    status_code=201,
    response_model=schemas.Submitted,
)
async def submit(calling: Calling, form_id: int, body: schemas.SubmitForm) -> dict[str, Any]:
    """Answers are checked against the form's questions (a bad one is named); the
    submission is posted for review in Discord, with Accept / Reject."""
    actor, roles = await calling.acting(body.user_id, member_required=True)
    with calling.writing():
        submission = await calling.services.forms.submit(actor, form_id, roles, body.answers)
    calling.discord.work_queued()
    return {"success": True, "submission_id": submission.id}
