"""Small steps many E2E tests share: set the desk up, open a ticket, read the database."""

from __future__ import annotations

from typing import Any

from tests.fakes.discord.driver import Desk


async def set_up(desk: Desk, *, cooldown: int = 0, **limits: int) -> None:
    """What an admin does first: /admin setup, then limits suited to the test."""
    admin = desk.member("admin")
    reply = await admin.slash(
        "admin setup",
        ticket_channel="tickets",
        staff_role="Staff",
        log_channel="logs",
        review_channel="reviews",
    )
    assert "ready" in reply.text, reply.text
    await admin.slash("admin limits", cooldown_seconds=cooldown, **limits)


async def open_ticket(desk: Desk, who: str = "alice", **fields: Any):
    """Open a ticket as `who`; returns (the member's answer, the ticket's thread)."""
    values = {"subject": "Printer on fire", "message": "It is really on fire."} | fields
    before = {t.id for t in desk.threads()}
    reply = await desk.member(who).slash("ticket create", **values)
    new = [t for t in desk.threads() if t.id not in before]
    assert len(new) == 1, reply.text
    return reply, new[0]


def rows(desk: Desk, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the bot's database the way an auditor would (committed data), on SQLite or
    PostgreSQL (`?` placeholders on both: tests/e2e/backends.py)."""
    return desk.database.rows(sql, params)


def write(desk: Desk, sql: str, params: tuple = ()) -> None:
    """Stage a state the bot cannot make (an old row, a foreign id), on either backend."""
    desk.database.write(sql, params)


def status_of(desk: Desk, ticket_id: int) -> str:
    return rows(desk, "SELECT status FROM tickets WHERE id = ?", (ticket_id,))[0][0]


async def raw_slash(desk: Desk, who: str, command: str, channel: Any = "general", **values: Any):
    """A slash command sent as a raw payload, even where the Discord client would stop it
    (hidden admin commands, a private thread the person is not in): the bot must refuse."""
    from tests.fakes.discord import interactions as build

    person = desk.member(who)
    target = desk.channel_payload(channel)
    data = build.command_data(
        desk.state, desk.guild, person.id, target, command, values, unchecked=True
    )
    payload = build.base_payload(desk.state, desk.guild, person.id, target, 2, data)
    return await desk.send_interaction(payload)
