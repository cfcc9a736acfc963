"""/admin commands: setup, departments, feature flags, limits, panel, forget-server."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.admin.diagnosis import Diagnosis, diagnose_config
from cogs.ai.knowledge import read_knowledge_file
from cogs.shared.buttons import TargetButton
from cogs.shared.desk import TicketDesk
from cogs.shared.ownership import missing_parts, server_ids
from cogs.shared.text import COLOUR_OPEN, EMBED_DESCRIPTION_LIMIT, NO_PINGS, clip, send_ephemeral
from cogs.tickets.hours_line import describe_hours
from cogs.tickets.panel import panel_view
from core.errors import InvalidInput
from core.models import Department, Feature, FeatureFlags, GuildConfig
from core.policy import require_admin
from wording.catalogue import FEATURE_LABELS

log = logging.getLogger(__name__)

FeatureChoice = Literal["ticketing", "applications", "ai"]
DepartmentChoice = Literal["Technical Support", "Billing", "Sales", "Security"]


def describe_config(config: GuildConfig, flags: FeatureFlags, ai_configured: bool) -> str:
    def channel(value: int | None) -> str:
        return f"<#{value}>" if value else "not set"

    def role(value: int | None) -> str:
        return f"<@&{value}>" if value else "not set"

    lines = [f"{feature.value}: {'on' if flags.is_on(feature) else 'off'}" for feature in Feature]
    lines += [
        "",
        f"Ticket channel: {channel(config.ticket_channel_id)}",
        f"Staff role: {role(config.staff_role_id)}",
        f"Log channel: {channel(config.log_channel_id)}",
        f"Review channel: {channel(config.review_channel_id)}",
    ]
    for department in Department:
        if department in config.department_roles:
            lines.append(f"{department.value} role: {role(config.department_roles[department])}")
    lines += [
        f"Open tickets per member: {config.max_open_tickets} · cooldown: {config.cooldown_seconds}s",
        f"Inactivity: reminder after {config.reminder_hours}h, close {config.autoclose_hours}h later",
        "AI: "
        + (
            "API key and model configured"
            if ai_configured
            else "not configured (set OPENAI_API_KEY and AI_MODEL)"
        ),
    ]
    if not config.is_set_up:
        lines.append("\n⚠️ Not set up yet: run `/admin setup ticket_channel staff_role`.")
    return "\n".join(lines)


def describe_diagnosis(diagnosis: Diagnosis) -> str:
    lines = [f"⚠️ {problem}" for problem in diagnosis.problems]
    lines += [f"ℹ️ {note}" for note in diagnosis.notes]
    return "\n\n" + "\n".join(lines) if lines else "\n\n✅ Permissions are fine."


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class AdminCommands(
    commands.GroupCog, group_name="admin", group_description="Set up the ticket desk"
):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.guilds = desk.services.guilds
        super().__init__()

    async def _admin(self, interaction: discord.Interaction):
        actor, config = await self.desk.actor(interaction)
        require_admin(actor)  # Discord hides the commands too, but a raw payload must not pass
        return actor, config

    async def _audit(
        self, config: GuildConfig, interaction: discord.Interaction, what: str
    ) -> None:
        await self.desk.log_event(config, f"⚙️ <@{interaction.user.id}> {what}")

    @app_commands.command(
        name="setup", description="Choose the ticket channel, staff role and log channels"
    )
    @app_commands.describe(
        ticket_channel="Where ticket threads are created",
        staff_role="Who answers tickets",
        log_channel="Where events and transcripts are posted",
        review_channel="Where form submissions are reviewed",
    )
    async def setup(
        self,
        interaction: discord.Interaction,
        ticket_channel: discord.TextChannel,
        staff_role: discord.Role,
        log_channel: discord.TextChannel | None = None,
        review_channel: discord.TextChannel | None = None,
    ) -> None:
        actor, _ = await self._admin(interaction)
        guild = interaction.guild
        assert guild is not None
        config = await self.guilds.setup(
            actor,
            ticket_channel_id=ticket_channel.id,
            staff_role_id=staff_role.id,
            log_channel_id=log_channel.id if log_channel else None,
            review_channel_id=review_channel.id if review_channel else None,
            server=server_ids(guild),
        )
        flags = await self.guilds.flags(actor.guild_id)
        summary = describe_config(config, flags, self.guilds.ai_configured)
        summary += missing_parts(config, guild)
        # Diagnosed from what was saved, exactly as /admin features and --check see it.
        diagnosis = diagnose_config(guild, config)
        if diagnosis.problems:
            head = "Saved, but tickets won't work until these are fixed:\n" + "\n".join(
                diagnosis.problems
            )
        else:
            head = "✅ The ticket desk is ready. Members can now run `/ticket create`."
        head += "".join(f"\nℹ️ {note}" for note in diagnosis.notes)
        await send_ephemeral(
            interaction,
            "",
            embed=discord.Embed(
                title="Setup",
                description=clip(f"{head}\n\n{summary}", EMBED_DESCRIPTION_LIMIT),
                colour=COLOUR_OPEN,
            ),
        )
        await self._audit(
            config,
            interaction,
            f"ran /admin setup (tickets in {ticket_channel.mention}, staff {staff_role.mention})",
        )

    @app_commands.command(name="department", description="Set the staff role for one department")
    async def department(
        self, interaction: discord.Interaction, name: DepartmentChoice, role: discord.Role
    ) -> None:
        actor, _ = await self._admin(interaction)
        try:
            department = Department(name)
        except ValueError:
            raise InvalidInput(
                "name", "input.one_of", choices=[d.value for d in Department]
            ) from None
        config = await self.guilds.set_department_role(
            actor, department, role.id, server=server_ids(interaction.guild)
        )
        await send_ephemeral(
            interaction, f"{department.value} tickets now bring in {role.mention}."
        )
        await self._audit(config, interaction, f"set the {department.value} role to {role.mention}")

    @app_commands.command(name="feature", description="Turn a feature on or off")
    async def feature(
        self, interaction: discord.Interaction, name: FeatureChoice, enabled: bool
    ) -> None:
        actor, config = await self._admin(interaction)
        try:
            feature = Feature(name)
        except ValueError:
            raise InvalidInput("name", "input.one_of", choices=[f.value for f in Feature]) from None
        flags = await self.guilds.set_feature(actor, feature, enabled)
        state = "on" if flags.is_on(feature) else "off"
        await send_ephemeral(
            interaction, f"{FEATURE_LABELS[feature]} ({feature.value}) is now {state}."
        )
        await self._audit(config, interaction, f"turned {feature.value} {state}")

    @app_commands.command(name="features", description="Show feature flags and configuration")
    async def features(self, interaction: discord.Interaction) -> None:
        actor, config = await self._admin(interaction)
        flags = await self.guilds.flags(actor.guild_id)
        summary = describe_config(config, flags, self.guilds.ai_configured)
        summary += "\n" + describe_hours(await self.desk.services.hours.of(actor.guild_id))
        summary += missing_parts(config, interaction.guild)
        if config.is_set_up and interaction.guild is not None:
            summary += describe_diagnosis(diagnose_config(interaction.guild, config))
        await send_ephemeral(
            interaction,
            "",
            embed=discord.Embed(
                title="Features",
                description=clip(summary, EMBED_DESCRIPTION_LIMIT),
                colour=COLOUR_OPEN,
            ),
        )

    @app_commands.command(
        name="limits", description="Per-member ticket cap, cooldown, inactivity hours"
    )
    @app_commands.describe(
        max_open_tickets="Open tickets one member may have (1–50, default 3)",
        cooldown_seconds="Wait between two new tickets of one member (0–3600, default 30)",
        reminder_hours="Remind a member who hasn't answered after this many hours (default 48)",
        autoclose_hours="Then close the ticket this many hours later (default 24)",
    )
    async def limits(
        self,
        interaction: discord.Interaction,
        max_open_tickets: int | None = None,
        cooldown_seconds: int | None = None,
        reminder_hours: int | None = None,
        autoclose_hours: int | None = None,
    ) -> None:
        actor, _ = await self._admin(interaction)
        config = await self.guilds.set_limits(
            actor,
            max_open_tickets=max_open_tickets,
            cooldown_seconds=cooldown_seconds,
            reminder_hours=reminder_hours,
            autoclose_hours=autoclose_hours,
        )
        text = (
            f"Open tickets per member: {config.max_open_tickets}\nCooldown: {config.cooldown_seconds}s\n"
            f"Reminder after {config.reminder_hours}h, auto-close {config.autoclose_hours}h later"
        )
        await send_ephemeral(interaction, text)
        await self._audit(config, interaction, "changed limits: " + text.replace("\n", "; "))

    @app_commands.command(name="panel", description="Post a panel with an Open a ticket button")
    async def panel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        _, config = await self._admin(interaction)
        target = channel or interaction.channel
        if not isinstance(target, discord.TextChannel):
            raise InvalidInput("channel", "admin.not_text_channel")
        embed = discord.Embed(
            title="Need help?",
            description="Press **Open a ticket** and tell us what's wrong. A private thread "
            "is created where our staff will answer you.",
            colour=COLOUR_OPEN,
        )
        await target.send(embed=embed, view=panel_view(), allowed_mentions=NO_PINGS)
        await send_ephemeral(interaction, f"Panel posted in {target.mention}.")
        await self._audit(config, interaction, f"posted a ticket panel in {target.mention}")

    @app_commands.command(
        name="ai-knowledge", description="Give the AI reference text to answer from"
    )
    @app_commands.describe(file="A UTF-8 .txt or .md file (up to 20,000 characters); omit to clear")
    async def ai_knowledge(
        self, interaction: discord.Interaction, file: discord.Attachment | None = None
    ) -> None:
        actor, _ = await self._admin(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await read_knowledge_file(file) if file is not None else None
        config = await self.guilds.set_ai_knowledge(actor, text)
        if text is None:
            done = "The AI's reference text is cleared."
        else:
            done = f"The AI will now answer with this reference text ({len(text)} characters)."
        await send_ephemeral(interaction, done)
        await self._audit(config, interaction, "changed the AI reference text")

    @app_commands.command(name="forget-server", description="Delete all of this server's data")
    async def forget_server(self, interaction: discord.Interaction) -> None:
        await self._admin(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetConfirm(interaction.guild_id or 0))
        await send_ephemeral(
            interaction,
            "This deletes every ticket, reply, form, submission and setting of this server "
            "from the bot's database. It can't be undone. Are you sure?",
            view=view,
        )


class ForgetConfirm(TargetButton, prefix="admin:forget"):
    """Carries the id of the server whose data it deletes."""

    button_label = "Delete everything"
    button_style = discord.ButtonStyle.danger

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        actor, _ = await desk.actor(interaction)
        if actor.guild_id != self.target_id:
            raise InvalidInput("server", "admin.other_server")
        removed = await desk.services.guilds.forget(actor)
        count = removed.get("tickets", 0)
        await interaction.response.edit_message(
            content=f"Done: all data of this server is deleted ({count} tickets and everything else).",
            view=None,
        )
