"""`python bot.py --check`: the whole set-up checked in one go, as a report.

Settings, the database (read-only: nothing is created or migrated), Discord (reachable,
token, intents, the servers with each one's `/admin setup` and permissions, through the
same diagnosis `/admin setup` shows), and the AI endpoint with one tiny request. Exits 0
only when nothing needs fixing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from cogs.admin.diagnosis import diagnose_config
from cogs.runtime.connect import quiet_reconnect_tracebacks, run_until_closed, wait_for_discord
from cogs.runtime.seams import apply_discord_endpoints
from cogs.runtime.startup import (
    StartupFailure,
    commands_refused,
    desk_intents,
    dev_guild_elsewhere,
    explain,
    gateway_host,
    invite_url,
    rest_host,
)
from core.ai import AIUnavailable
from core.models import GuildConfig
from core.services import make_responder
from core.settings import Settings
from storage.health import DatabaseHealth, inspect_database, read_configs

log = logging.getLogger(__name__)

# --check is run by a person waiting at a terminal: a short retry is enough.
CHECK_PATIENCE = 15.0
DESK_COMMANDS = {"ticket", "admin", "forms"}


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.problems = 0

    def section(self, title: str) -> None:
        self.lines.append(f"{title}:" if not self.lines else f"\n{title}:")

    def ok(self, text: str) -> None:
        self.lines.append(f"  ok    {text}")

    def fix(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"  FIX   {text}")

    def note(self, text: str) -> None:
        self.lines.append(f"  note  {text}")

    def render(self) -> str:
        if self.problems:
            end = f"{self.problems} thing(s) to fix, marked FIX above."
        else:
            end = "All checks passed: the ticket desk is ready."
        return "\n".join([*self.lines, "", end])


class CheckClient(discord.Client):
    """Connects, waits for every server's GUILD_CREATE, asks which commands each server
    has, and closes: the servers stay in its cache for the report."""

    def __init__(self, dev_guild_id: int | None) -> None:
        super().__init__(intents=desk_intents())
        self.startup_failure: StartupFailure | None = None
        self.dev_guild_id = dev_guild_id
        self.guild_commands: dict[int, set[str]] = {}
        self.no_commands_scope: set[int] = set()
        self.global_commands: set[str] | None = None
        self._pending: set[int] | None = None
        self._finishing = False

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        # Closed early, discord.py's ready timer still fires `ready` later; a closed
        # client has no loop to run handlers on, so events after close are dropped.
        if not self.is_closed():
            super().dispatch(event, *args, **kwargs)

    async def on_connect(self) -> None:
        if self._pending is None:  # READY: its servers arrive next, one GUILD_CREATE each
            self._pending = {g.id for g in self.guilds if g.unavailable}
            await self._finish_when_complete()

    async def on_guild_available(self, guild: discord.Guild) -> None:
        if self._pending is not None:
            self._pending.discard(guild.id)
            await self._finish_when_complete()

    async def on_ready(self) -> None:
        # discord.py gave up waiting for servers that stay unavailable (an outage).
        await self._finish()

    async def _finish_when_complete(self) -> None:
        if self._pending == set():
            await self._finish()

    async def _finish(self) -> None:
        if self._finishing:
            return
        self._finishing = True
        try:
            await self._ask_commands()
        except discord.HTTPException as error:
            log.warning("could not list the registered commands: %s", error)
        finally:
            await self.close()

    async def _ask_commands(self) -> None:
        app_id = self.application_id or 0
        for guild in self.guilds:
            if guild.unavailable:
                continue
            try:
                found = await self.http.get_guild_commands(app_id, guild.id)
            except discord.Forbidden:
                self.no_commands_scope.add(guild.id)  # 50001: no applications.commands here
            else:
                self.guild_commands[guild.id] = {c["name"] for c in found}
        if not self.dev_guild_id:
            found = await self.http.get_global_commands(app_id)
            self.global_commands = {c["name"] for c in found}


async def check(settings: Settings) -> int:
    report = Report()
    report.section("Settings")
    report.ok("every setting is valid")
    report.section("Database")
    health = await inspect_database(settings)
    (report.ok if health.ok else report.fix)(health.line)
    report.section("Discord")
    await check_discord(settings, health, report)
    report.section("AI")
    await check_ai(settings, report)
    print(report.render(), flush=True)
    return 1 if report.problems else 0


async def check_discord(settings: Settings, health: DatabaseHealth, report: Report) -> None:
    apply_discord_endpoints(settings.DISCORD_API_BASE, settings.DISCORD_GATEWAY_URL)
    quiet_reconnect_tracebacks()
    token = settings.DISCORD_TOKEN.get_secret_value().strip()
    patience = min(settings.DISCORD_RETRY_SECONDS, CHECK_PATIENCE)
    client = CheckClient(settings.DEV_GUILD_ID)
    try:
        await wait_for_discord(token, patience)
        report.ok(f"reached Discord at {rest_host()}; DISCORD_TOKEN is accepted")
        async with asyncio.timeout(patience + 60), client:
            await run_until_closed(client, token, patience)
    except Exception as error:
        failure = explain(error, desk_intents())
        if failure is None:
            raise
        report.fix(failure.line)
        return
    report.ok(f"gateway at {gateway_host()}: connected as {client.user}; intents accepted")
    await check_servers(settings, health, client, report)


async def check_servers(
    settings: Settings, health: DatabaseHealth, client: CheckClient, report: Report
) -> None:
    app_id = client.application_id or 0
    guilds = sorted(client.guilds, key=lambda g: (g.name or "", g.id))
    dev_guild_id = settings.DEV_GUILD_ID
    if dev_guild_id and client.get_guild(dev_guild_id) is None:
        report.fix(dev_guild_elsewhere(dev_guild_id, guilds, app_id).line)
    if not guilds:
        report.fix(f"The bot is in no server yet: invite it with {invite_url(app_id)}")
        return
    registered = client.guild_commands.get(dev_guild_id or 0, set())
    if not dev_guild_id:
        registered = client.global_commands or set()
    if not registered >= DESK_COMMANDS and not client.no_commands_scope:
        report.fix(
            "The slash commands are not registered yet: start the bot once "
            "(`python bot.py`); it registers them at start-up"
        )
    configs: dict[int, GuildConfig] = {}
    if health.readable:
        configs = await read_configs(settings, [g.id for g in guilds])
    elif not health.exists:
        configs = {g.id: GuildConfig(guild_id=g.id) for g in guilds}  # nothing saved yet
    report.section(f"Servers ({len(guilds)})")
    for guild in guilds:
        check_server(guild, configs.get(guild.id), client, report)


def check_server(
    guild: discord.Guild, config: GuildConfig | None, client: Any, report: Report
) -> None:
    name = f"{guild.name} ({guild.id})"
    if guild.unavailable:
        report.fix(f"{name}: unavailable right now (a Discord outage?); check again later")
        return
    if guild.id in client.no_commands_scope:
        report.fix(f"{name}: " + commands_refused(client.application_id or 0, guild).line)
    if config is None:
        report.note(f"{name}: setup not known until the bot has started and migrated")
        return
    diagnosis = diagnose_config(guild, config, markup=False)
    if diagnosis.ok:
        ticket_channel = guild.get_channel(config.ticket_channel_id or 0)
        staff = guild.get_role(config.staff_role_id or 0)
        report.ok(
            f"{name}: set up (tickets in #{getattr(ticket_channel, 'name', '?')}, staff "
            f"@{getattr(staff, 'name', '?')}); permissions are fine"
        )
    for problem in diagnosis.problems:
        report.fix(f"{name}: {problem}")
    for note in diagnosis.notes:
        report.note(f"{name}: {note}")


async def check_ai(settings: Settings, report: Report) -> None:
    responder = make_responder(settings)
    if responder is None:
        if settings.OPENAI_API_KEY or settings.AI_MODEL:
            report.fix("AI is half configured: set both OPENAI_API_KEY and AI_MODEL, or neither")
        else:
            report.ok("not configured (AI replies stay off; see the README to turn them on)")
        return
    endpoint = settings.OPENAI_BASE_URL or "OpenAI"
    try:
        await responder.ping()
    except AIUnavailable as error:
        report.fix(
            f"The AI endpoint {endpoint} did not answer ({error.reason}): check "
            "OPENAI_API_KEY, AI_MODEL and OPENAI_BASE_URL"
        )
    else:
        report.ok(f"{endpoint} answered with model {settings.AI_MODEL}")
    finally:
        await responder.aclose()
