"""The claims and counters of thread opening and the HTTP API, hammered from two pools
(two processes' stores) on one PostgreSQL: each row goes to one claimer, each counter
counts every hit."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.integration_models import DiscordJobKind, EventName
from storage.postgres.store import PostgresStore
from tests.storage.made import insert_ticket

RACERS = 16
GUILD = 1000
NOW = datetime(2026, 3, 1, tzinfo=UTC)
LEASE = NOW + timedelta(minutes=5)


@pytest.fixture
async def stores(postgres_url: str) -> AsyncIterator[list[PostgresStore]]:
    opened = [await PostgresStore.open(postgres_url, max_size=8) for _ in range(2)]
    yield opened
    for store in opened:
        await store.close()


async def race(
    stores: list[PostgresStore], call: Callable[[PostgresStore, int], Awaitable[Any]]
) -> list[Any]:
    return await asyncio.gather(*(call(stores[n % 2], n) for n in range(RACERS)))


async def test_each_waiting_ticket_is_claimed_by_one_opener(stores):
    async def insert(uow, n: int):
        return await insert_ticket(
            uow, guild_id=GUILD, owner_id=100 + n, now=NOW - timedelta(seconds=1)
        )

    tickets = [await stores[0].write(lambda uow, n=n: insert(uow, n)) for n in range(30)]

    def claim(store: PostgresStore, _: int):
        return store.write(
            lambda uow: uow.tickets.claim_waiting([GUILD], now=NOW, lease_until=LEASE, limit=4)
        )

    claimed = list(itertools.chain.from_iterable(await race(stores, claim)))
    assert sorted(t.id for t in claimed) == [t.id for t in tickets]
    assert all(t.thread_attempts == 1 for t in claimed)


async def test_each_discord_job_is_claimed_by_one_process(stores):
    for n in range(30):
        await stores[0].write(
            lambda uow, n=n: uow.discord_jobs.add(
                guild_id=GUILD, kind=DiscordJobKind.POST_REPLY, payload={"n": n}, now=NOW
            )
        )

    def claim(store: PostgresStore, _: int):
        return store.write(
            lambda uow: uow.discord_jobs.claim_due([GUILD], now=NOW, lease_until=LEASE, limit=4)
        )

    claimed = list(itertools.chain.from_iterable(await race(stores, claim)))
    assert sorted(job.payload["n"] for job in claimed) == list(range(30))


async def test_only_the_oldest_delivery_of_a_key_goes_out_once(stores):
    hook = await stores[0].write(
        lambda uow: uow.webhooks.insert(
            guild_id=GUILD,
            url="https://example.com/h",
            events=[EventName.TICKET_CREATED],
            secret="s",
            created_by=1,
            now=NOW,
        )
    )
    for n in range(30):  # ten keys, three events each, in order
        await stores[0].write(
            lambda uow, n=n: uow.webhook_deliveries.add(
                webhook_id=hook.id,
                guild_id=GUILD,
                key=f"ticket:{n % 10}",
                event=EventName.TICKET_CREATED,
                body=str(n),
                now=NOW,
            )
        )

    def claim(store: PostgresStore, _: int):
        return store.write(
            lambda uow: uow.webhook_deliveries.claim_due(
                [GUILD], now=NOW, lease_until=LEASE, limit=4
            )
        )

    claimed = list(itertools.chain.from_iterable(await race(stores, claim)))
    assert sorted(int(d.body) for d in claimed) == list(range(10))  # each key's first only


async def test_one_live_key_per_name_and_every_hit_counted(stores):
    def create(store: PostgresStore, n: int):
        return store.write(
            lambda uow: uow.api_keys.insert(
                guild_id=GUILD,
                name="crm",
                prefix=f"p{n}",
                key_hash="h",
                created_by=1,
                now=NOW,
            )
        )

    keys = await race(stores, create)
    assert len([key for key in keys if key is not None]) == 1

    def hit(store: PostgresStore, _: int):
        return store.write(lambda uow: uow.rate_limits.hit("key:p0", 42))

    assert sorted(await race(stores, hit)) == list(range(1, RACERS + 1))
