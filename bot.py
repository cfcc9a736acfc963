"""Composition root: Settings -> Database -> services -> TicketBot -> cogs.

Run with `python bot.py`. Nothing here runs at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError

from core.settings import Settings, describe_settings_error


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


async def run(settings: Settings) -> None:
    from cogs.app import build_bot
    from cogs.seams import apply_discord_endpoints
    from core.services import build_services
    from storage.database import Database, MigrationError

    apply_discord_endpoints(settings.DISCORD_API_BASE, settings.DISCORD_GATEWAY_URL)
    try:
        database = await Database.open(settings.DATABASE_PATH)
    except MigrationError as error:
        print(f"Database error: {error}", file=sys.stderr)
        raise SystemExit(3) from None
    try:
        services = build_services(database, settings)
        bot = build_bot(settings, services)
        try:
            async with bot:
                await bot.start(settings.DISCORD_TOKEN.get_secret_value())
        finally:
            await services.ai.aclose()  # the AI client's HTTP connections
    finally:
        await database.close()


def main() -> None:
    settings = load_settings()
    configure_logging(settings.LOG_LEVEL)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(settings))


if __name__ == "__main__":
    main()
