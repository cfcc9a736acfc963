"""Submissions across a guild's forms: a member's own, and the staff review queue.

FormService checks the flag and who may look; this only reads and pairs each submission
with its form, so a front end can show titles and question labels.
"""

from __future__ import annotations

from core.form_models import FormSubmission, SubmissionStatus
from core.models import Page
from core.ports import Reads
from core.validation import clamp_page


async def submissions_page(
    reads: Reads,
    guild_id: int,
    *,
    user_id: int | None,
    status: SubmissionStatus | None,
    page: int,
    page_size: int,
) -> Page[FormSubmission]:
    page = clamp_page(page)
    found, total = await reads.submissions.in_guild(
        guild_id, user_id=user_id, status=status, offset=page * page_size, limit=page_size
    )
    forms = {}
    for form_id in {s.form_id for s in found}:
        form = await reads.forms.get(form_id)
        if form is not None:
            forms[form_id] = form
    items = tuple(
        FormSubmission(form=forms[s.form_id], submission=s) for s in found if s.form_id in forms
    )
    return Page(items=items, page=page, page_size=page_size, total=total)
