"""The bot: builds the cogs from the services, syncs commands, turns errors into replies.

Each feature package registers its own cogs and persistent buttons (`register` in its
`__init__.py`); this module only calls them, and passes `/ticket suggest` from the AI
package to the ticket commands, so that neither package imports the other both ways.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs import admin, ai, forms, lifecycle, outbox, staff, tickets
from cogs.admin.diagnosis import diagnose_config
from cogs.ai.replies import suggest_reply
from cogs.runtime.identify import IdentifyGate
from cogs.runtime.startup import (
    StartupFailure,
    commands_refused,
    desk_intents,
    dev_guild_elsewhere,
    invite_url,
)
from cogs.shared.desk import TicketDesk
from cogs.shared.errors import report_error
from cogs.shared.language import server_speech
from cogs.shared.modals import ModalRouter
from cogs.shared.ownership import require_own_options
from cogs.shared.text import NO_PINGS
from cogs.shared.translator import DeskTranslator
from core.ports import SharedLock
from core.services import Services
from core.settings import Settings
from core.shards import ShardSet

log = logging.getLogger(__name__)


class DeskTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Before any command runs (and before discord.py resolves its options).
        require_own_options(interaction)
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


class TicketBot(commands.Bot):
    def __init__(self, settings: Settings, services: Services, **client_options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=desk_intents(),
            tree_cls=DeskTree,
            allowed_mentions=NO_PINGS,
            help_command=None,
            # No message cache (1,000 messages by default): the desk reads edits from the raw
            # event and every message it handles from its event or the REST answer.
            max_messages=None,
            **client_options,
        )
        self.settings = settings
        self.services = services
        self.desk = TicketDesk(self, services, shards=settings.shards)
        # Set when start-up must stop; bot.py prints its line and exits with its code.
        self.startup_failure: StartupFailure | None = None
        self._sync_refused: discord.HTTPException | None = None
        self._first_ready_seen = False

    async def setup_hook(self) -> None:
        # /ticket, /admin, /forms: the order the command groups were always synced in.
        await tickets.register(self, self.desk, suggest=suggest_reply)
        await admin.register(self, self.desk)
        await forms.register(self, self.desk)
        await ai.register(self, self.desk)
        await lifecycle.register(self, self.desk)
        # After tickets and admin: the staff tools add commands to /ticket and /admin.
        await staff.register(self, self.desk)
        await outbox.register(self, self.desk)
        # Every modal's submit, including ones shown before a restart (cogs/shared/modals.py).
        await self.add_cog(ModalRouter())
        for extra in getattr(self, "extra_cogs", ()):
            await self.add_cog(extra)
        # Descriptions and choices in every language the desk speaks (SPEC §11).
        await self.tree.set_translator(DeskTranslator())
        await self.sync_commands()

    async def sync_commands(self) -> None:
        guild_id = self.settings.DEV_GUILD_ID
        try:
            if guild_id:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except (discord.Forbidden, discord.NotFound) as error:
            if not guild_id:
                raise self._commands_refused(error, None) from None
            # Refused for DEV_GUILD_ID: either the bot is not in that server or it was
            # invited without applications.commands. The server list at READY tells which.
            self._sync_refused = error
            return
        log.info("synced %s commands", len(synced))

    def _commands_refused(
        self, error: discord.HTTPException, guild: discord.Guild | None
    ) -> StartupFailure:
        detail = f"{error.code} {error.text or 'Missing Access'}"
        return commands_refused(self.application_id or 0, guild, detail)

    def _check_servers(self) -> StartupFailure | None:
        url = invite_url(self.application_id or 0)
        dev_guild_id = self.settings.DEV_GUILD_ID
        # With shards, only the process holding the server's shard can see it.
        held = dev_guild_id is not None and self.desk.holds(dev_guild_id)
        if dev_guild_id and held and self.get_guild(dev_guild_id) is None:
            # Stop rather than sync globally: a development setting pointing elsewhere is a
            # mistake to fix, and global commands would reach every server the bot is in.
            return dev_guild_elsewhere(dev_guild_id, self.guilds, self.application_id or 0)
        if self._sync_refused is not None:
            return self._commands_refused(self._sync_refused, self.get_guild(dev_guild_id or 0))
        if not self.guilds:
            log.warning("The bot is in no server yet: invite it with %s", url)
        return None

    async def on_ready(self) -> None:
        log.info("ready as %s in %s servers", self.user, len(self.guilds))
        if self._first_ready_seen:  # READY again after a session could not be resumed
            return
        self._first_ready_seen = True
        # Checked once the servers have arrived, so the lines can name them.
        failure = self._check_servers()
        if failure is not None:
            self.startup_failure = failure
            await self.close()
            return
        await self._warn_about_setups()

    async def _warn_about_setups(self) -> None:
        """Log, once at start-up, each server whose saved setup cannot work (a channel the
        bot cannot see, members shut out...): the same diagnosis /admin setup shows."""
        for guild in self.guilds:
            if guild.unavailable:
                continue
            config = await self.services.guilds.config(guild.id)
            if not config.is_set_up:
                continue
            for problem in diagnose_config(guild, config, markup=False).problems:
                log.warning("%s (%s): %s", guild.name, guild.id, problem)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Greet the admins once, in the first channel the bot may post in."""
        channel = guild.system_channel
        if channel is None or not channel.permissions_for(guild.me).send_messages:
            channel = next(
                (c for c in guild.text_channels if c.permissions_for(guild.me).send_messages),
                None,
            )
        if channel is None:
            return
        config = await self.services.guilds.config(guild.id)
        t = server_speech(guild, config)
        try:
            await channel.send(
                t._(
                    "👋 Thanks for adding the ticket desk! An admin can set it up with one "
                    "command: `/admin setup ticket_channel:#tickets staff_role:@Staff`."
                ),
                allowed_mentions=NO_PINGS,
            )
        except discord.HTTPException as error:
            log.info("could not greet guild %s: %s", guild.id, error)


class ShardedTicketBot(TicketBot, commands.AutoShardedBot):
    """The desk as gateway shards SHARD_IDS of SHARD_COUNT (SPEC §10): discord.py's
    AutoShardedBot with exactly those shards, so several processes (one PostgreSQL) share
    the work, each doing the background work of its own shards' guilds (`desk.holds`).

    IDENTIFYs wait on Discord's max_concurrency buckets, across processes too, through
    the store's shared lock (cogs/runtime/identify.py).
    """

    def __init__(
        self, settings: Settings, services: Services, shards: ShardSet, identify_lock: SharedLock
    ) -> None:
        super().__init__(settings, services, shard_count=shards.count, shard_ids=list(shards.ids))
        self.identify_gate = IdentifyGate(identify_lock, self._max_concurrency)
        log.info("running as %s", shards.describe())

    async def _max_concurrency(self) -> int:
        return (await self.fetch_session_start_limits()).max_concurrency

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # Instead of discord.py's flat 5 s before every IDENTIFY but the first.
        await self.identify_gate.before_identify(shard_id or 0)

    async def close(self) -> None:
        await self.identify_gate.aclose()
        await super().close()


def build_bot(
    settings: Settings, services: Services, *, identify_lock: SharedLock | None = None
) -> TicketBot:
    """The bot: one gateway connection, or the shards of SHARD_COUNT / SHARD_IDS; those
    need the store's shared lock (wiring.shared_lock) to identify in turn with the other
    processes."""
    shards = settings.shards
    if shards is None:
        return TicketBot(settings, services)
    if identify_lock is None:
        raise ValueError("a sharded bot needs the store's shared lock (wiring.shared_lock)")
    return ShardedTicketBot(settings, services, shards, identify_lock)
