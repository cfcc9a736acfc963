"""`python -m storage.copy`: a desk built through the services on a real SQLite file,
copied to PostgreSQL by the command itself, then read back through the same services on
both stores (and checked by the command row for row)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import aiosqlite
import asyncpg

from core.clock import ManualClock
from core.desk_tool_models import HoursRange, ParticipantKind
from core.integration_models import DiscordJobKind, EventName
from core.models import Attachment, Department, Feature
from core.services import Services, build_services
from core.settings import Settings
from core.staff_models import BlockKind
from storage.postgres.store import PostgresStore
from storage.sqlite.store import SqliteStore
from tests.core.conftest import STAFF_ROLE, TICKET_CHANNEL, admin, member, server, staff
from tests.core.test_forms_service import ANSWERS, definition

LATEST = len(
    list((Path(__file__).resolve().parents[2] / "storage/postgres/migrations").glob("*.sql"))
)
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(DISCORD_TOKEN="t")  # type: ignore[call-arg]


def services_on(store, clock: ManualClock) -> Services:
    return build_services(store, SETTINGS, clock)


async def staff_tools(uow, tickets, now) -> None:
    """Tags, notes, blocks, people added, a close request (one deleted first: its id is
    never given again) and support hours, written straight through the ports."""
    for name in ("Refund", "Ünïcode"):
        await uow.tags.insert(
            guild_id=1000, name=name, key=name.casefold(), content="See §2", author_id=50, now=now
        )
    await uow.notes.insert(ticket_id=tickets[1].id, author_id=50, body="VIP", now=now)
    await uow.blocks.put(
        guild_id=1000, kind=BlockKind.ROLE, target_id=66, reason=None, blocked_by=99, now=now
    )
    await uow.participants.add(
        ticket_id=tickets[2].id,
        guild_id=1000,
        kind=ParticipantKind.MEMBER,
        target_id=7,
        added_by=50,
        now=now,
    )
    for ticket in tickets[2:4]:
        request = await uow.close_requests.insert(
            ticket_id=ticket.id,
            guild_id=1000,
            requested_by=50,
            reason="Solved?",
            hours=24,
            now=now,
            due_at=now,
        )
    await uow.close_requests.delete(request.id)
    await uow.support_hours.replace(
        1000, "Europe/Warsaw", [HoursRange(days=(0, 4), start_minute=540, end_minute=1020)], now
    )
    await uow.support_hours.mark_opened_outside(tickets[3].id)
    # The HTTP API's tables: a key (one revoked), a rate-limit window, queued Discord work,
    # a webhook and its outbox.
    for name in ("ci", "old"):
        await uow.api_keys.insert(
            guild_id=1000, name=name, prefix=f"p_{name}", key_hash="ab" * 32, created_by=99, now=now
        )
    await uow.api_keys.revoke(1000, "old", now)
    await uow.rate_limits.hit("key:p_ci", 1234)
    await uow.discord_jobs.add(
        guild_id=1000, kind=DiscordJobKind.POST_REPLY, payload={"reply_id": 1}, now=now
    )
    hook = await uow.webhooks.insert(
        guild_id=1000,
        url="https://example.com/hook",
        events=[EventName.TICKET_CREATED],
        secret="s3cret",
        created_by=99,
        now=now,
    )
    await uow.webhooks.record_result(hook.id, ok=False)
    await uow.webhooks.mark_reported(hook.id)
    await uow.webhook_deliveries.add(
        webhook_id=hook.id,
        guild_id=1000,
        key=f"ticket:{tickets[1].id}",
        event=EventName.TICKET_CREATED,
        body='{"ok": true}',
        now=now,
    )


async def build_desk(path: Path, clock: ManualClock) -> None:
    """A little of everything a desk stores, written the way the bot writes it."""
    store = await SqliteStore.open(path)
    desk = services_on(store, clock)
    try:
        await desk.guilds.setup(
            admin(), ticket_channel_id=TICKET_CHANNEL, staff_role_id=STAFF_ROLE, server=server()
        )
        await desk.guilds.set_limits(admin(), cooldown_seconds=0, max_open_tickets=9)
        await desk.guilds.set_department_role(
            admin(), Department.BILLING, 4321, server=server(roles=(4321,))
        )
        await store.write(lambda uow: uow.guilds.set_flag(1000, Feature.APPLICATIONS, True))
        tickets = []
        for n in range(6):
            clock.advance(minutes=7)
            ticket = await desk.tickets.create(
                member(1 + n % 2),
                subject=f"Ticket {n} ü",
                message="Zażółć gęślą jaźń 🎫",
                priority=["urgent", "low", "high"][n % 3],
            )
            tickets.append(await desk.tickets.attach_thread(ticket.id, 880_000 + n, 990_000 + n))
        for n, ticket in enumerate(tickets[:4]):
            clock.advance(seconds=30 + n)
            await desk.tickets.record_message(
                thread_id=ticket.thread_id,
                author_id=50,
                author_is_staff=True,
                body="On it",
                message_id=770_000 + n,
                attachments=[Attachment(filename="log.txt", url="https://cdn/x", size=12)],
            )
        await desk.tickets.record_edit(770_000, "On it, edited")
        await desk.tickets.claim(staff(), tickets[1].id)
        await desk.tickets.close(staff(), tickets[0].id, "fixed")
        await desk.feedback.rate(1, tickets[0].id, 4)
        await desk.feedback.comment(1, tickets[0].id, "Quick, thanks")
        await desk.tickets.close(staff(), tickets[5].id)
        await desk.closing.done(tickets[5].id, 1)
        await store.write(lambda uow: uow.tickets.delete(tickets[4].id))  # ids never reused
        await store.write(lambda uow: uow.ai_usage.reserve_daily_answer(1000, "2026-01-02", 9))
        form = await desk.forms.create(admin(), definition())
        first = await desk.forms.submit(member(3), form.id, set(), ANSWERS)
        await desk.forms.submit(member(4), form.id, set(), {"name": "Ola", "age": "41"})
        await desk.forms.attach_review_message(first.id, 4000, 123)
        await desk.forms.review(staff(), first.id, accept=True, note="Welcome")
        await store.write(lambda uow: staff_tools(uow, tickets, clock.now()))
    finally:
        await store.close()


def run_copy(source: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storage.copy", "--from", str(source), "--to", url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def what_the_services_show(desk: Services) -> list[object]:
    listed = await desk.tickets.list(staff(), page_size=50)
    shown: list[object] = [listed, await desk.tickets.stats(staff())]
    for ticket in listed.items:
        shown.append(await desk.tickets.all_replies(staff(), ticket.id))
        shown.append(await desk.feedback.of(ticket.id))
        shown.append(await desk.closing.pending(ticket.id))
    for form in await desk.forms.list_all(staff()):
        shown.append(form)
        shown.append(await desk.forms.list_submissions(staff(), form.id))
    shown.append(await desk.guilds.config(1000))
    shown.append(await desk.tickets.live_threads())
    return shown


async def test_a_desk_is_copied_and_verified_row_for_row(tmp_path, postgres_url):
    clock = ManualClock()
    source = tmp_path / "tickets.db"
    await build_desk(source, clock)

    result = run_copy(source, postgres_url)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "tickets                   5 rows copied and identical (sha256 " in out
    assert "ticket_counts     rebuilt by triggers; matches a fresh count" in out
    assert "Next ids: tickets #7," in out  # 6 was deleted and is never given again
    assert "verified row for row" in out and result.stderr == ""

    sqlite_store = await SqliteStore.open(source)
    postgres_store = await PostgresStore.open(postgres_url)
    try:
        on_sqlite = await what_the_services_show(services_on(sqlite_store, clock))
        on_postgres = await what_the_services_show(services_on(postgres_store, clock))
        assert on_postgres == on_sqlite
        # The desk goes on where it was: the next ticket takes the next number.
        made = await services_on(postgres_store, clock).tickets.create(
            member(9), subject="After the move", message="Hello"
        )
        assert made.id == 7
    finally:
        await sqlite_store.close()
        await postgres_store.close()

    again = run_copy(source, postgres_url)
    assert again.returncode == 2
    assert again.stderr.startswith("Nothing copied: postgresql://postgres:")
    assert "already holds desk data (in guild_settings, department_roles" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


async def test_an_outdated_file_or_a_missing_one_is_refused(tmp_path, postgres_url):
    old = tmp_path / "old.db"
    async with aiosqlite.connect(old) as connection:
        await connection.execute("PRAGMA user_version = 3")
    result = run_copy(old, postgres_url)
    assert result.returncode == 2
    assert f"has schema version 3, this code's is {LATEST}" in result.stderr
    missing = run_copy(tmp_path / "nope.db", postgres_url)
    assert (missing.returncode, missing.stderr.strip()) == (
        2,
        f"Nothing copied: {tmp_path / 'nope.db'} is not a file: give the desk's SQLite file "
        "with --from",
    )


async def test_a_row_postgresql_cannot_hold_rolls_the_copy_back(tmp_path, postgres_url):
    source = tmp_path / "tickets.db"
    store = await SqliteStore.open(source)
    try:
        for body in ("fine", "nul \x00 inside"):  # SQLite text may hold NUL; PostgreSQL's not
            await store.write(
                lambda uow, b=body: uow.tickets.insert(
                    guild_id=1,
                    owner_id=1,
                    subject="s",
                    message=b,
                    priority="low",
                    department="Sales",
                    ai_active=False,
                    now=ManualClock().now(),
                )
            )
    finally:
        await store.close()
    result = run_copy(source, postgres_url)
    assert result.returncode == 2
    assert result.stderr.startswith("Nothing copied: PostgreSQL refused a row of tickets (")
    connection = await asyncpg.connect(postgres_url)
    try:
        assert await connection.fetchval("SELECT COUNT(*) FROM tickets") == 0
    finally:
        await connection.close()
