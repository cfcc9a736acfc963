"""Fixtures every test folder may use: a throwaway PostgreSQL (tests/postgres_server.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from tests.postgres_server import PostgresServer, start_server


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    """Started on first use only, so a run without PostgreSQL tests never starts one. The
    xdist workers of one run share it (they share the run's id)."""
    workerinput = getattr(request.config, "workerinput", None)
    run = workerinput["testrunuid"] if workerinput else f"solo-{os.getpid()}"
    return start_server(run)


@pytest.fixture
async def postgres_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    """A fresh schema with every migration applied, for this test alone; the URL's
    connections work in it."""
    async with postgres_server.schema() as url:
        yield url
