"""The bot process serves the HTTP API when API_PORT is set."""

from __future__ import annotations

import pytest


@pytest.mark.postgres
async def test_the_bot_serves_the_api(api):
    answer = await api.http.get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert (await api.http.get("/api/openapi.json")).json()["info"]["title"]
