"""Composition root: Settings -> store -> services -> TicketBot -> cogs (wiring.py picks
the store and the clock).

Run with `python bot.py`; `python bot.py --check` checks the whole set-up and exits.
Nothing here runs at import time. Every way start-up can fail ends with one line on
stderr and a non-zero exit code (2 settings, 3 database, 4-7 Discord: cogs/runtime/startup.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

from pydantic import ValidationError

from core.settings import Settings, describe_settings_error

USAGE = "usage: python bot.py [--check]"


def load_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]  # values come from the environment
    except ValidationError as error:
        print(describe_settings_error(error), file=sys.stderr)
        raise SystemExit(2) from None


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # discord.py's own debug output is noisy and may echo payloads; keep it at INFO at most.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))


class Stop(Exception):
    """Start-up ends: `line` is printed last, after every task has wound down."""

    def __init__(self, line: str, code: int) -> None:
        super().__init__(line)
        self.line = line
        self.code = code


@contextlib.asynccontextmanager
async def serve_api(settings: Settings, services: Any, bot: Any) -> AsyncIterator[None]:
    """The HTTP API (SPEC §8) on the bot's own loop when API_PORT is set: SQLite keeps one
    writer, and the API's Discord work (a ticket's thread, a reply) happens at once."""
    if settings.API_PORT is None:
        yield
        return
    from api.app import create_app
    from api.server import ApiServer
    from cogs.runtime.api_side import BotDiscordSide

    app = create_app(services, settings, BotDiscordSide(bot))
    server = ApiServer(app, settings.API_HOST, settings.API_PORT)
    try:
        await server.start()
    except OSError as error:
        where = f"{settings.API_HOST}:{settings.API_PORT}"
        raise Stop(
            f"Configuration error: API_PORT: cannot listen on {where} ({error})", 2
        ) from None
    try:
        yield
    finally:
        await server.stop()


async def run(settings: Settings) -> None:
    from cogs.app import build_bot
    from cogs.runtime.connect import quiet_reconnect_tracebacks, run_until_closed, wait_for_discord
    from cogs.runtime.seams import apply_discord_endpoints
    from cogs.runtime.slim_threads import share_thread_values
    from cogs.runtime.startup import desk_intents, explain
    from wiring import MigrationError, StorageUnavailable, build, open_store, shared_lock

    apply_discord_endpoints(settings.DISCORD_API_BASE, settings.DISCORD_GATEWAY_URL)
    share_thread_values()
    quiet_reconnect_tracebacks()
    try:
        store = await open_store(settings)
    except (MigrationError, StorageUnavailable) as error:
        raise Stop(f"Database error: {error}", 3) from None
    token = settings.DISCORD_TOKEN.get_secret_value().strip()
    patience = settings.DISCORD_RETRY_SECONDS
    try:
        services = build(store, settings)
        try:
            await wait_for_discord(token, patience)
            bot = build_bot(settings, services, identify_lock=shared_lock(store))
            async with bot, serve_api(settings, services, bot):
                await run_until_closed(bot, token, patience)
        except Exception as error:
            failure = explain(error, desk_intents())
            if failure is None:
                raise
            raise Stop(failure.line, failure.exit_code) from None
        finally:
            await services.ai.aclose()  # the AI client's HTTP connections
    finally:
        await store.close()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--check"]):
        print(USAGE, file=sys.stderr)
        raise SystemExit(2)
    settings = load_settings()
    if args == ["--check"]:
        from cogs.runtime.check import check

        # The report is the output; only warnings and worse go to the log meanwhile.
        configure_logging(max(settings.LOG_LEVEL, "WARNING", key=logging.getLevelName))
        raise SystemExit(asyncio.run(check(settings)))
    configure_logging(settings.LOG_LEVEL)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run(settings))
    except Stop as stop:
        print(stop.line, file=sys.stderr)
        raise SystemExit(stop.code) from None


if __name__ == "__main__":
    main()
