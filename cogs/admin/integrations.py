"""`/admin api-key create|list|revoke` and `/admin webhook add|list|remove` (SPEC §8).

Keys and webhook secrets are shown once, ephemerally, to the admin who made them, and
never logged (the log channel hears only the name). Subcommand groups of `/admin`, added
to its group by `cogs.admin.register`.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import clip, send_ephemeral, user_mention
from core.models import Actor, GuildConfig
from core.webhooks import SIGNATURE_HEADER
from i18n import N_


class _AdminGroup(app_commands.Group):
    def __init__(self, desk: TicketDesk, **kwargs) -> None:
        super().__init__(**kwargs)
        self.desk = desk

    async def _admin(self, interaction: discord.Interaction) -> tuple[Actor, GuildConfig]:
        return await self.desk.actor(interaction)  # the services refuse non-admins

    async def _audit(
        self, config: GuildConfig, interaction: discord.Interaction, line: str, **params: Any
    ) -> None:
        """`line`: an English sentence marked with N_, said in the server's language."""
        server = self.desk.server_speech(config)
        user = user_mention(interaction.user.id)
        await self.desk.log_event(config, server._(line, user=user, **params))


class ApiKeyCommands(_AdminGroup):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(desk, name="api-key", description=N_("Keys for the HTTP API"))

    @app_commands.command(
        name="create", description=N_("Create a key for the HTTP API (shown once)")
    )
    @app_commands.describe(name=N_("A name to tell the key apart, e.g. the system that uses it"))
    async def create(self, interaction: discord.Interaction, name: str) -> None:
        actor, config = await self._admin(interaction)
        record, key = await self.desk.services.api_keys.create(actor, name)
        t = member_speech(interaction)
        created = t._(
            "🔑 API key “{name}” created. Copy it now: it is shown only this once and stored "
            "only as a hash.",
            name=record.name,
        )
        usage = t._(
            "Send it as `Authorization: Bearer <key>`; it has staff access to this server "
            "only. Revoke it with `/admin api-key revoke name:{name}`.",
            name=record.name,
        )
        await send_ephemeral(interaction, f"{created}\n```\n{key}\n```\n{usage}")
        await self._audit(
            config, interaction, N_("⚙️ {user} created API key “{name}”"), name=record.name
        )

    @app_commands.command(name="list", description=N_("List this server's API keys"))
    async def list(self, interaction: discord.Interaction) -> None:
        actor, _ = await self._admin(interaction)
        keys = await self.desk.services.api_keys.list(actor)
        t = member_speech(interaction)
        if not keys:
            await send_ephemeral(
                interaction, t._("No API keys yet: `/admin api-key create name:…`.")
            )
            return
        lines = [
            t._(
                "• “{name}” ({prefix}) by {user}, {when}",
                name=key.name,
                prefix=f"tdk_{key.prefix}_…",
                user=user_mention(key.created_by),
                when=discord.utils.format_dt(key.created_at, "R"),
            )
            for key in keys
        ]
        listed = t._("API keys:") + "\n" + "\n".join(lines)
        await send_ephemeral(interaction, clip(listed, 2000))

    @app_commands.command(
        name="revoke", description=N_("Revoke an API key: it stops working at once")
    )
    @app_commands.describe(name=N_("The key's name"))
    async def revoke(self, interaction: discord.Interaction, name: str) -> None:
        actor, config = await self._admin(interaction)
        record = await self.desk.services.api_keys.revoke(actor, name)
        t = member_speech(interaction)
        await send_ephemeral(
            interaction,
            t._("API key “{name}” is revoked: it no longer works.", name=record.name),
        )
        await self._audit(
            config, interaction, N_("⚙️ {user} revoked API key “{name}”"), name=record.name
        )


class WebhookCommands(_AdminGroup):
    def __init__(self, desk: TicketDesk) -> None:
        super().__init__(desk, name="webhook", description=N_("Webhooks: ticket and form events"))

    @app_commands.command(name="add", description=N_("Send ticket and form events to a URL"))
    @app_commands.describe(
        url=N_("The receiver's https:// address"),
        events=N_("Comma-separated, e.g. ticket.created,ticket.closed (all events when left out)"),
    )
    async def add(
        self, interaction: discord.Interaction, url: str, events: str | None = None
    ) -> None:
        actor, config = await self._admin(interaction)
        hook = await self.desk.services.webhooks.add(actor, url, events)
        t = member_speech(interaction)
        added = t._(
            "🪝 Webhook #{webhook_id} added: {events} go to {url}.",
            webhook_id=hook.id,
            events=", ".join(e.value for e in hook.events),
            url=f"<{hook.url}>",
        )
        secret = t._("Its secret, shown only this once:")
        check = t._(
            "Each delivery is a JSON POST with `{header}: sha256=<hex>`, the HMAC-SHA256 of the "
            "raw body with this secret: check it before trusting a body.",
            header=SIGNATURE_HEADER,
        )
        await send_ephemeral(interaction, f"{added}\n{secret}\n```\n{hook.secret}\n```\n{check}")
        await self._audit(
            config,
            interaction,
            N_("⚙️ {user} added webhook #{webhook_id} ({url})"),
            webhook_id=hook.id,
            url=hook.url,
        )

    @app_commands.command(name="list", description=N_("List this server's webhooks"))
    async def list(self, interaction: discord.Interaction) -> None:
        actor, _ = await self._admin(interaction)
        found = await self.desk.services.webhooks.list(actor)
        t = member_speech(interaction)
        if not found:
            await send_ephemeral(interaction, t._("No webhooks yet: `/admin webhook add url:…`."))
            return
        lines = []
        for hook, pending in found:
            events = ", ".join(e.value for e in hook.events)
            if hook.failures:
                line = t._(
                    "• #{webhook_id} {url}: {events}; failing ({failures} in a row), "
                    "{pending} waiting",
                    webhook_id=hook.id,
                    url=f"<{hook.url}>",
                    events=events,
                    failures=hook.failures,
                    pending=pending,
                )
            else:
                line = t._(
                    "• #{webhook_id} {url}: {events}; working, {pending} waiting",
                    webhook_id=hook.id,
                    url=f"<{hook.url}>",
                    events=events,
                    pending=pending,
                )
            lines.append(line)
        await send_ephemeral(interaction, clip(t._("Webhooks:") + "\n" + "\n".join(lines), 2000))

    @app_commands.command(name="remove", description=N_("Remove a webhook (nothing more is sent)"))
    @app_commands.describe(webhook_id=N_("The webhook's number, from /admin webhook list"))
    async def remove(self, interaction: discord.Interaction, webhook_id: int) -> None:
        actor, config = await self._admin(interaction)
        await self.desk.services.webhooks.remove(actor, webhook_id)
        t = member_speech(interaction)
        await send_ephemeral(
            interaction, t._("Webhook #{webhook_id} is removed.", webhook_id=webhook_id)
        )
        await self._audit(
            config,
            interaction,
            N_("⚙️ {user} removed webhook #{webhook_id}"),
            webhook_id=webhook_id,
        )
