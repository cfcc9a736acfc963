"""`/admin api-key create|list|revoke` and `/admin webhook add|list|remove` (SPEC §8).

Keys and webhook secrets are shown once, ephemerally, to the admin who made them, and
never logged (the log channel hears only the name). Subcommand groups of `/admin`, added
to its group by `cogs.admin.register`.
"""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.text import clip, send_ephemeral
from core.models import Actor, GuildConfig
from core.webhooks import SIGNATURE_HEADER


class _AdminGroup(app_commands.Group):
    def __init__(self, desk: TicketDesk, **kwargs) -> None:
        super().__init__(**kwargs)
        self.desk = desk

    async def _admin(self, interaction: discord.Interaction) -> tuple[Actor, GuildConfig]:
        return await self.desk.actor(interaction)  # the services refuse non-admins

    async def _audit(
        self, config: GuildConfig, interaction: discord.Interaction, what: str
    ) -> None:
        await self.desk.log_event(config, f"⚙️ <@{interaction.user.id}> {what}")


class ApiKeyCommands(_AdminGroup):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(desk, name="api-key", description="Keys for the HTTP API")

    @app_commands.command(name="create", description="Create a key for the HTTP API (shown once)")
    @app_commands.describe(name="A name to tell the key apart, e.g. the system that uses it")
    async def create(self, interaction: discord.Interaction, name: str) -> None:
        actor, config = await self._admin(interaction)
        record, key = await self.desk.services.api_keys.create(actor, name)
        await send_ephemeral(
            interaction,
            f"🔑 API key “{record.name}” created. Copy it now: it is shown only this once "
            f"and stored only as a hash.\n```\n{key}\n```\n"
            f"Send it as `Authorization: Bearer <key>`; it has staff access to this server "
            f"only. Revoke it with `/admin api-key revoke name:{record.name}`.",
        )
        await self._audit(config, interaction, f"created API key “{record.name}”")

    @app_commands.command(name="list", description="List this server's API keys")
    async def list(self, interaction: discord.Interaction) -> None:
        actor, _ = await self._admin(interaction)
        keys = await self.desk.services.api_keys.list(actor)
        if not keys:
            await send_ephemeral(interaction, "No API keys yet: `/admin api-key create name:…`.")
            return
        lines = [
            f"• “{key.name}” (tdk_{key.prefix}_…) by <@{key.created_by}>, "
            f"{discord.utils.format_dt(key.created_at, 'R')}"
            for key in keys
        ]
        await send_ephemeral(interaction, clip("API keys:\n" + "\n".join(lines), 2000))

    @app_commands.command(name="revoke", description="Revoke an API key: it stops working at once")
    @app_commands.describe(name="The key's name")
    async def revoke(self, interaction: discord.Interaction, name: str) -> None:
        actor, config = await self._admin(interaction)
        record = await self.desk.services.api_keys.revoke(actor, name)
        await send_ephemeral(
            interaction, f"API key “{record.name}” is revoked: it no longer works."
        )
        await self._audit(config, interaction, f"revoked API key “{record.name}”")


class WebhookCommands(_AdminGroup):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(desk, name="webhook", description="Webhooks: ticket and form events")

    @app_commands.command(name="add", description="Send ticket and form events to a URL")
    @app_commands.describe(
        url="The receiver's https:// address",
        events="Comma-separated, e.g. ticket.created,ticket.closed (all events when left out)",
    )
    async def add(
        self, interaction: discord.Interaction, url: str, events: str | None = None
    ) -> None:
        actor, config = await self._admin(interaction)
        hook = await self.desk.services.webhooks.add(actor, url, events)
        await send_ephemeral(
            interaction,
            f"🪝 Webhook #{hook.id} added: {', '.join(e.value for e in hook.events)} go to "
            f"<{hook.url}>.\nIts secret, shown only this once:\n```\n{hook.secret}\n```\n"
            f"Each delivery is a JSON POST with `{SIGNATURE_HEADER}: sha256=<hex>`, the "
            "HMAC-SHA256 of the raw body with this secret: check it before trusting a body.",
        )
        await self._audit(config, interaction, f"added webhook #{hook.id} ({hook.url})")

    @app_commands.command(name="list", description="List this server's webhooks")
    async def list(self, interaction: discord.Interaction) -> None:
        actor, _ = await self._admin(interaction)
        found = await self.desk.services.webhooks.list(actor)
        if not found:
            await send_ephemeral(interaction, "No webhooks yet: `/admin webhook add url:…`.")
            return
        lines = []
        for hook, pending in found:
            state = f"failing ({hook.failures} in a row)" if hook.failures else "working"
            lines.append(
                f"• #{hook.id} <{hook.url}>: {', '.join(e.value for e in hook.events)}; "
                f"{state}, {pending} waiting"
            )
        await send_ephemeral(interaction, clip("Webhooks:\n" + "\n".join(lines), 2000))

    @app_commands.command(name="remove", description="Remove a webhook (nothing more is sent)")
    @app_commands.describe(webhook_id="The webhook's number, from /admin webhook list")
    async def remove(self, interaction: discord.Interaction, webhook_id: int) -> None:
        actor, config = await self._admin(interaction)
        await self.desk.services.webhooks.remove(actor, webhook_id)
        await send_ephemeral(interaction, f"Webhook #{webhook_id} is removed.")
        await self._audit(config, interaction, f"removed webhook #{webhook_id}")
