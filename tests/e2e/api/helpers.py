"""Steps the HTTP API's end-to-end tests share."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tests.e2e.api.conftest import Api
from tests.e2e.helpers import rows, set_up

T = TypeVar("T")

KEY = re.compile(r"tdk_[0-9a-f]{12}_[A-Za-z0-9_-]+")


async def create_key(api: Api, name: str = "CRM") -> str:
    """What an admin does: /admin api-key create; the key is in the ephemeral answer."""
    reply = await api.desk.member("admin").slash("admin api-key create", name=name)
    assert reply.ephemeral, reply.text
    found = KEY.search(reply.text)
    assert found, reply.text
    return found.group(0)


async def ready(api: Api, **limits: Any) -> dict[str, str]:
    """A desk set up, and the headers of a fresh server key."""
    await set_up(api.desk, **limits)
    return {"Authorization": f"Bearer {await create_key(api)}"}


def member_id(api: Api, name: str) -> str:
    return str(api.desk.member(name).id)


async def open_over_http(api: Api, auth: dict[str, str], who: str = "alice", **fields: Any):
    body = {"subject": "Printer on fire", "message": "It is really on fire."} | fields
    answer = await api.http.post(
        "/api/tickets/create", json={**body, "user_id": member_id(api, who)}, headers=auth
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["ticket"]


async def eventually(probe: Callable[[], Awaitable[T | None]], seconds: float = 10.0) -> T:
    """The first non-None answer of `probe`, asked again for up to `seconds` (the bot works in
    the background: its database and Discord catch up a moment later)."""
    async with asyncio.timeout(seconds):
        while True:
            found = await probe()
            if found is not None:
                return found
            await asyncio.sleep(0.05)


async def thread_of(api: Api, ticket_id: int):
    """The ticket's thread, once the bot has made it."""

    def attached() -> int | None:
        found = rows(api.desk, "SELECT thread_id FROM tickets WHERE id = ?", (ticket_id,))
        return found[0][0] if found else None

    thread_id = await api.desk.wait_for(attached, 15.0, f"ticket #{ticket_id}'s thread")
    return api.desk.channel(thread_id)
