"""Fixtures every test folder may use: a throwaway PostgreSQL (tests/postgres_server.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.postgres_server import PostgresServer, start_server


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PostgresServer:
    """Started on first use only, so a run without PostgreSQL tests never starts one. The
    xdist workers of one run share it (their temp folders have a common parent)."""
    base = tmp_path_factory.getbasetemp()
    return start_server(base if worker_id == "master" else base.parent)


@pytest.fixture
async def postgres_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """A fresh schema with every migration applied, for this test alone; the URL's
    connections work in it."""
    async with postgres_server.schema() as url:
        yield url
