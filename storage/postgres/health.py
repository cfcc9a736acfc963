"""PostgreSQL at start-up and for `python bot.py --check`: the one line each failure
becomes (naming DATABASE_URL, never its password), and a read-only look at the schema
and each server's setup. Nothing here writes or migrates."""

from __future__ import annotations

import socket

import asyncpg

from core.models import GuildConfig
from storage.postgres.connection import masked
from storage.postgres.guilds import PgGuilds
from storage.postgres.migrations import discover, schema_version
from storage.sqlite.health import DatabaseHealth

CHECK_TIMEOUT_SECONDS = 10.0


def describe(error: BaseException) -> str:
    """What went wrong in a few words; a server's own message says it best."""
    if isinstance(error, asyncpg.PostgresError):
        return str(error).splitlines()[0]
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host name not found"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, FileNotFoundError):
        return "no server socket there"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def unreachable_line(url: str, error: BaseException) -> str:
    """The start-up line for a PostgreSQL that can't be used (SPEC §10)."""
    where = f"PostgreSQL at DATABASE_URL={masked(url)}"
    if isinstance(
        error, asyncpg.InvalidAuthorizationSpecificationError | asyncpg.InvalidPasswordError
    ):
        return (
            f"{where} refused the login ({describe(error)}): correct the user or password in "
            "DATABASE_URL, then start again"
        )
    if isinstance(error, ValueError) and not isinstance(error, asyncpg.PostgresError):
        return (
            f"DATABASE_URL={masked(url)} is not a PostgreSQL URL that can be used "
            f"({describe(error)}): write it as postgresql://user:password@host:5432/database"
        )
    if isinstance(error, asyncpg.InvalidCatalogNameError):
        return (
            f"{where} has no such database ({describe(error)}): create it (createdb) or "
            "correct DATABASE_URL, then start again"
        )
    return (
        f"{where} could not be reached ({describe(error)}): start PostgreSQL or correct "
        "DATABASE_URL, then start again"
    )


async def inspect_database(url: str) -> DatabaseHealth:
    """Can the bot log in, and is the schema current? Read-only."""
    latest = len(discover())
    try:
        connection = await asyncpg.connect(url, timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as error:
        return DatabaseHealth(False, unreachable_line(url, error), exists=False)
    try:
        version = await schema_version(connection)
    finally:
        await connection.close()
    where = masked(url)
    if version is None or version < latest:
        applied = version or 0
        return DatabaseHealth(
            True,
            f"{where} is reachable; its schema is at version {applied}, migrations "
            f"{applied + 1}-{latest} are applied at the next start",
            exists=applied > 0,
        )
    if version > latest:
        return DatabaseHealth(
            False,
            f"{where} has schema version {version}, newer than this code knows ({latest}): "
            "run the matching (newer) version of the bot",
        )
    return DatabaseHealth(True, f"{where} is reachable and its schema is current ({latest})", True)


async def read_configs(url: str, guild_ids: list[int]) -> dict[int, GuildConfig]:
    """Each server's saved setup, in a read-only transaction."""
    connection = await asyncpg.connect(url, timeout=CHECK_TIMEOUT_SECONDS)
    try:
        async with connection.transaction(readonly=True):
            guilds = PgGuilds(connection, in_unit=False)
            return {guild_id: await guilds.config(guild_id) for guild_id in guild_ids}
    finally:
        await connection.close()
