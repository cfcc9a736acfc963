"""E2E fixtures: the fake Discord on a free loopback port and the real bot as a subprocess.

async def test_x(desk): ...                      # fresh DB, bot connected and synced
@pytest.mark.bot_env(OPENAI_BASE_URL="http://127.0.0.1:9/v1")
async def test_y(desk): ...                      # extra environment for the bot
async def test_z(desk_factory): desk = await desk_factory({"AI_MODEL": "m"}, start=False)

The database backend (tests/e2e/backends.py) is a parameter of every test using a desk:
`test_x[sqlite]`, `test_x[postgres]`. See `pytest_generate_tests` for which run where.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.e2e.backends import BACKENDS, Database, PostgresDatabase, SqliteDatabase
from tests.e2e.bot_process import BotProcess
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk

DeskFactory = Callable[..., Awaitable[Desk]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "bot_env(**env): extra environment variables for the bot process"
    )
    config.addinivalue_line(
        "markers",
        "postgres: also run on PostgreSQL in the default run (E2E_BACKENDS runs all there)",
    )
    config.addinivalue_line(
        "markers", "sqlite_only(reason): about SQLite itself (its file), never on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test with a desk runs on SQLite; the ones marked `postgres` (whole modules
    or single tests) also on PostgreSQL. Why not all on both by default: see
    POSTGRES_BY_DEFAULT. E2E_BACKENDS=sqlite,postgres runs every test on each listed
    backend (E2E_BACKENDS=postgres: on PostgreSQL only)."""
    if "backend" not in metafunc.fixturenames:
        return
    definition = metafunc.definition
    if any("backend" in str(m.args[0]) for m in definition.iter_markers("parametrize")):
        return  # the test names its backend itself (a PostgreSQL-only test)
    if definition.get_closest_marker("sqlite_only"):
        chosen = ["sqlite"]
    else:
        chosen = chosen_backends(on_postgres=bool(definition.get_closest_marker("postgres")))
    metafunc.parametrize("backend", chosen)


def chosen_backends(*, on_postgres: bool) -> list[str]:
    """The backends of one test: E2E_BACKENDS if set, else SQLite, and PostgreSQL too for
    a test marked `postgres` (`on_postgres`)."""
    listed = os.environ.get("E2E_BACKENDS")
    if listed:
        chosen = [b.strip() for b in listed.split(",") if b.strip()]
        unknown = set(chosen) - set(BACKENDS)
        if unknown:
            raise pytest.UsageError(f"E2E_BACKENDS: unknown {sorted(unknown)}, not in {BACKENDS}")
        return chosen
    return list(BACKENDS) if POSTGRES_BY_DEFAULT or on_postgres else ["sqlite"]


# All on both by default would double the E2E part, the bulk of the whole run: measured on
# the 2 shared cores, `E2E_BACKENDS=postgres pytest tests/e2e -n 2` took 14 min on a
# loaded machine, as long as the SQLite run, far over the ~90 s this may add. So by
# default PostgreSQL runs the modules whose rules differ by backend (sweeps, forms
# decisions, close requests, thread opening, webhook outbox) whole, one test (marked
# `postgres`) of every other module, the API fuzz and the PostgreSQL-only tests (restart,
# shards): about 75 s of `-n 2` wall time on a quiet machine.
POSTGRES_BY_DEFAULT = False


@pytest.fixture
def backend() -> str:
    """Replaced by the parametrisation above; a test it does not reach runs on SQLite."""
    return "sqlite"


@pytest.fixture
async def database(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> AsyncIterator[Database]:
    """The bot's database: a SQLite file in the test's folder, or a fresh PostgreSQL
    schema (the tests' server is started on the first test that needs it)."""
    if backend == "sqlite":
        yield SqliteDatabase(tmp_path / "tickets.db")
        return
    async with request.getfixturevalue("postgres_server").schema() as url:
        database = PostgresDatabase(url)
        try:
            yield database
        finally:
            database.close()


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()
    if fake.state.violations:
        listed = "\n  ".join(fake.state.violations)
        pytest.fail(f"Discord API violations during this test:\n  {listed}", pytrace=False)


@pytest.fixture
async def desk_factory(
    fake_discord: FakeDiscord, database: Database, tmp_path: Path
) -> AsyncIterator[DeskFactory]:
    bots: list[BotProcess] = []
    db_path = database.path if isinstance(database, SqliteDatabase) else None

    async def make(env: dict[str, str | None] | None = None, *, start: bool = True) -> Desk:
        bot_env = {**database.bot_env(), **(env or {})}
        bot = BotProcess(fake_discord, tmp_path / "tickets.db", tmp_path / "bot.log", bot_env)
        bots.append(bot)
        if start:
            await bot.start()
        return Desk(fake_discord, bot, db_path, database)

    yield make
    for bot in bots:
        await bot.stop()


@pytest.fixture
async def desk(request: pytest.FixtureRequest, desk_factory: DeskFactory) -> Desk:
    marker = request.node.get_closest_marker("bot_env")
    env = {k: str(v) for k, v in marker.kwargs.items()} if marker else {}
    return await desk_factory(env)
