"""`python -m api`: the HTTP API as a process of its own (SPEC §8).

Only with a database several processes can share: the bot process keeps doing the Discord
side (threads, replies posted, webhooks) from the database's outbox and waiting tickets.
With SQLite there is one writer, so the API must run inside the bot (set API_PORT there).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from api.app import create_app
from api.ports import NoDiscordSide
from api.server import ApiServer
from bot import configure_logging, load_settings
from wiring import MigrationError, StorageUnavailable, build, open_store, store_is_shared

SQLITE_REFUSED = (
    "Configuration error: the HTTP API can run as its own process only with a shared "
    "database (DATABASE_URL=postgresql://…); with SQLite it must run inside the bot "
    "process: set API_PORT for `python bot.py` instead."
)


async def serve() -> int:
    settings = load_settings()
    configure_logging(settings.LOG_LEVEL)
    if settings.API_PORT is None:
        print("Configuration error: API_PORT is required but not set", file=sys.stderr)
        return 2
    if not store_is_shared(settings):
        print(SQLITE_REFUSED, file=sys.stderr)
        return 2
    try:
        store = await open_store(settings)
    except (MigrationError, StorageUnavailable) as error:
        print(f"Database error: {error}", file=sys.stderr)
        return 3
    services = build(store, settings)
    server = ApiServer(
        create_app(services, settings, NoDiscordSide()), settings.API_HOST, settings.API_PORT
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, server.request_stop)
    try:
        await server.start()
        await server.wait_closed()
    finally:
        await server.stop()
        await services.ai.aclose()
        await store.close()
    return 0


def main() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(asyncio.run(serve()))


if __name__ == "__main__":
    main()
