"""Forms over HTTP, end to end: the forms a member may submit, submitting (answers checked
question by question, limits), and the submission posted for review in Discord."""

from __future__ import annotations

import pytest

from tests.e2e.api.helpers import member_id, ready
from tests.e2e.test_forms import create_form, seven_questions

GOOD = {
    "name": "Alice",
    "age": 30,
    "email": "alice@example.com",
    "tz": "UTC",
    "areas": ["Events", "Moderation"],
    "site": "https://alice.example",
    "rules": True,
}


@pytest.mark.postgres
async def test_forms_list_and_submit_post_for_review(api):
    auth = await ready(api)
    form_id = await create_form(api.desk, seven_questions(max_submissions_per_user=1))
    alice = member_id(api, "alice")

    every = (await api.http.get("/api/applications/forms", headers=auth)).json()["forms"]
    assert [f["id"] for f in every] == [form_id]
    assert every[0]["submissions_used"] is None and len(every[0]["questions"]) == 7

    mine = await api.http.get(f"/api/applications/forms?user_id={alice}", headers=auth)
    form = mine.json()["forms"][0]
    assert (form["submissions_used"], form["eligible"], form["max_submissions_per_user"]) == (
        0,
        True,
        1,
    )

    bad = await api.http.post(
        f"/api/applications/forms/{form_id}/submit",
        json={"answers": GOOD | {"age": 7, "email": "nope"}, "user_id": alice},
        headers=auth,
    )
    assert bad.status_code == 400
    refusal = bad.json()
    assert refusal["field"] == "Your age"
    assert "Your age: must be a number between 13 and 120" in refusal["error"]
    assert [p["field"] for p in refusal["problems"]] == ["Your age", "Your email"]

    done = await api.http.post(
        f"/api/applications/forms/{form_id}/submit",
        json={"answers": GOOD, "user_id": alice},
        headers=auth,
    )
    assert done.status_code == 201, done.text
    submission_id = done.json()["submission_id"]
    review = await api.desk.next_message("reviews", "Alice")
    assert review.buttons == ["Accept", "Reject"]
    assert f"#{submission_id}" in review.text or str(submission_id) in str(review.embeds)

    again = await api.http.post(
        f"/api/applications/forms/{form_id}/submit",
        json={"answers": GOOD, "user_id": alice},
        headers=auth,
    )
    assert again.status_code == 409
    assert again.json()["error"].startswith("You have used 1 of 1 submission for")
    used = await api.http.get(f"/api/applications/forms?user_id={alice}", headers=auth)
    assert used.json()["forms"][0]["eligible"] is False


async def test_unknown_forms_and_fields(api):
    auth = await ready(api)
    alice = member_id(api, "alice")
    missing = await api.http.post(
        "/api/applications/forms/999/submit", json={"answers": {}, "user_id": alice}, headers=auth
    )
    assert missing.status_code == 404
    assert missing.json() == {"error": "Form #999 was not found."}
    typo = await api.http.post(
        "/api/applications/forms/1/submit",
        json={"answer": {}, "user_id": alice},
        headers=auth,
    )
    assert typo.status_code == 400 and typo.json()["field"] in ("answer", "answers")
