"""The PostgreSQL shared lock (the shards' identify gate across processes): one holder per
key among every connection to the database, released when its holder's connection dies."""

from __future__ import annotations

import asyncio

KEY = 0x7469636B_00000001


async def test_one_holder_at_a_time_across_pools(postgres_url: str) -> None:
    import asyncpg

    from storage.postgres.advisory_lock import advisory_lock

    first = await asyncpg.create_pool(postgres_url, min_size=1, max_size=2)
    second = await asyncpg.create_pool(postgres_url, min_size=1, max_size=2)  # "another process"
    order: list[str] = []
    held, release = asyncio.Event(), asyncio.Event()

    async def hold(pool, name: str, until: asyncio.Event | None) -> None:
        async with advisory_lock(pool, KEY):
            order.append(f"{name} holds")
            held.set()
            if until is not None:
                await until.wait()
            order.append(f"{name} lets go")

    try:
        holding = asyncio.create_task(hold(first, "first", release))
        await asyncio.wait_for(held.wait(), 5)
        waiting = asyncio.create_task(hold(second, "second", None))
        assert await queued_for_the_lock(first)  # the second waits, in PostgreSQL
        assert order == ["first holds"]
        release.set()
        await asyncio.wait_for(asyncio.gather(holding, waiting), 5)
        assert order == ["first holds", "first lets go", "second holds", "second lets go"]
    finally:
        await first.close()
        await second.close()


async def queued_for_the_lock(pool) -> bool:
    """Whether a session is waiting for an advisory lock (PostgreSQL's own view)."""
    for _ in range(100):
        waiting = await pool.fetchval(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        )
        if waiting:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_dead_holder_leaves_no_lock_behind(postgres_url: str) -> None:
    import asyncpg

    dying = await asyncpg.connect(postgres_url)
    await dying.execute("SELECT pg_advisory_lock($1)", KEY)
    dying.terminate()  # the process is killed: its connection goes with it
    survivor = await asyncpg.connect(postgres_url)
    try:
        got = False
        for _ in range(50):  # the server notices the closed socket at once, or nearly
            got = await survivor.fetchval("SELECT pg_try_advisory_lock($1)", KEY)
            if got:
                break
            await asyncio.sleep(0.05)
        assert got
    finally:
        await survivor.close()
