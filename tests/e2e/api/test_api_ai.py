"""The AI answers tickets opened and replies written over HTTP, as it does in Discord."""

from __future__ import annotations

import pytest

from tests.e2e.api.helpers import member_id, open_over_http, ready, thread_of
from tests.e2e.test_ai import KEY, ai_env, answers
from tests.fakes.openai import FakeOpenAI


@pytest.mark.postgres
async def test_the_ai_answers_over_http_too(api_factory):
    async with FakeOpenAI(api_key=KEY) as model:
        api = await api_factory(ai_env(model))
        auth = await ready(api)
        await api.desk.member("admin").slash("admin feature", name="ai", enabled=True)
        ticket = await open_over_http(api, auth, message="My printer prints blank pages.")
        thread = await thread_of(api, ticket["id"])
        await answers(api.desk, thread, 1)  # the opening is answered
        mine = await api.http.post(
            f"/api/tickets/{ticket['id']}/reply",
            json={"message": "Still blank after that.", "user_id": member_id(api, "alice")},
            headers=auth,
        )
        assert mine.status_code == 201, mine.text
        await answers(api.desk, thread, 2)  # and so is her reply over HTTP
        viewed = (await api.http.get(f"/api/tickets/{ticket['id']}", headers=auth)).json()
        kinds = [r["author_kind"] for r in viewed["replies"]]
        assert kinds == ["member", "ai", "member", "ai"]
