"""/admin commands: setup, departments, feature flags, limits, panel, language, forget-server.

Replies speak the admin's own language; what goes to the log channel (and the panel, which
everyone sees) speaks the server's.
"""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.admin.diagnosis import diagnose_config
from cogs.admin.forget import ForgetConfirm
from cogs.admin.language import LANGUAGE_CHOICES, describe_language, set_server_language
from cogs.admin.summary import describe_config, describe_diagnosis
from cogs.ai.knowledge import read_knowledge_file
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.ownership import missing_parts, server_ids
from cogs.shared.text import COLOUR_OPEN, EMBED_DESCRIPTION_LIMIT, NO_PINGS, clip, send_ephemeral
from cogs.tickets.hours_line import describe_hours
from cogs.tickets.panel import panel_view
from core.errors import InvalidInput
from core.models import Department, Feature, GuildConfig
from core.policy import require_admin
from i18n import N_, Speech
from wording.catalogue import FEATURE_LABELS

log = logging.getLogger(__name__)

FeatureChoice = Literal["ticketing", "applications", "ai"]
DepartmentChoice = Literal["Technical Support", "Billing", "Sales", "Security"]


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class AdminCommands(
    commands.GroupCog, group_name="admin", group_description=N_("Set up the ticket desk")
):
    def __init__(self, desk: TicketDesk) -> None:
        self.desk = desk
        self.guilds = desk.services.guilds
        super().__init__()

    async def _admin(self, interaction: discord.Interaction):
        actor, config = await self.desk.actor(interaction)
        require_admin(actor)  # Discord hides the commands too, but a raw payload must not pass
        return actor, config

    async def _audit(self, config: GuildConfig, line: str, **params: object) -> None:
        """Log an admin's change in the server's language; `line` is marked with N_."""
        await self.desk.log_event(config, self.desk.server_speech(config)._(line, **params))

    async def _summary(
        self,
        interaction: discord.Interaction,
        config: GuildConfig,
        t: Speech,
        *,
        hours_line: str | None = None,
    ) -> str:
        flags = await self.guilds.flags(config.guild_id)
        language = describe_language(config, interaction.guild, t)
        summary = describe_config(config, flags, self.guilds.ai_configured, t, language)
        if hours_line is not None:  # /admin features shows the support hours too
            summary += "\n" + hours_line
        return summary + missing_parts(config, interaction.guild, t)

    @app_commands.command(
        name="setup", description=N_("Choose the ticket channel, staff role and log channels")
    )
    @app_commands.describe(
        ticket_channel=N_("Where ticket threads are created"),
        staff_role=N_("Who answers tickets"),
        log_channel=N_("Where events and transcripts are posted"),
        review_channel=N_("Where form submissions are reviewed"),
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
        t = member_speech(interaction)
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
        summary = await self._summary(interaction, config, t)
        # Diagnosed from what was saved, exactly as /admin features and --check see it.
        diagnosis = diagnose_config(guild, config, t=t)
        if diagnosis.problems:
            head = t._("Saved, but tickets won't work until these are fixed:")
            head += "\n" + "\n".join(diagnosis.problems)
        else:
            head = t._("✅ The ticket desk is ready. Members can now run `/ticket create`.")
        head += "".join(f"\nℹ️ {note}" for note in diagnosis.notes)
        await send_ephemeral(
            interaction,
            "",
            embed=discord.Embed(
                title=t._("Setup"),
                description=clip(f"{head}\n\n{summary}", EMBED_DESCRIPTION_LIMIT),
                colour=COLOUR_OPEN,
            ),
        )
        await self._audit(
            config,
            N_("⚙️ {user} ran /admin setup (tickets in {channel}, staff {role})"),
            user=interaction.user.mention,
            channel=ticket_channel.mention,
            role=staff_role.mention,
        )

    @app_commands.command(
        name="department", description=N_("Set the staff role for one department")
    )
    @app_commands.describe(
        name=N_("The department"), role=N_("The staff role its tickets bring in")
    )
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
        t = member_speech(interaction)
        await send_ephemeral(
            interaction,
            t._(
                "{department} tickets now bring in {role}.",
                department=department.value,
                role=role.mention,
            ),
        )
        await self._audit(
            config,
            N_("⚙️ {user} set the {department} role to {role}"),
            user=interaction.user.mention,
            department=department.value,
            role=role.mention,
        )

    @app_commands.command(name="feature", description=N_("Turn a feature on or off"))
    @app_commands.describe(name=N_("The feature"), enabled=N_("On (True) or off (False)"))
    async def feature(
        self, interaction: discord.Interaction, name: FeatureChoice, enabled: bool
    ) -> None:
        actor, config = await self._admin(interaction)
        try:
            feature = Feature(name)
        except ValueError:
            raise InvalidInput("name", "input.one_of", choices=[f.value for f in Feature]) from None
        flags = await self.guilds.set_feature(actor, feature, enabled)
        on = flags.is_on(feature)
        t = member_speech(interaction)
        label = t._(FEATURE_LABELS[feature])
        await send_ephemeral(
            interaction,
            t._("{label} ({name}) is now on.", label=label, name=feature.value)
            if on
            else t._("{label} ({name}) is now off.", label=label, name=feature.value),
        )
        line = N_("⚙️ {user} turned {name} on") if on else N_("⚙️ {user} turned {name} off")
        await self._audit(config, line, user=interaction.user.mention, name=feature.value)

    @app_commands.command(name="features", description=N_("Show feature flags and configuration"))
    async def features(self, interaction: discord.Interaction) -> None:
        actor, config = await self._admin(interaction)
        t = member_speech(interaction)
        hours = await self.desk.services.hours.of(actor.guild_id)
        summary = await self._summary(interaction, config, t, hours_line=describe_hours(hours, t))
        if config.is_set_up and interaction.guild is not None:
            summary += describe_diagnosis(diagnose_config(interaction.guild, config, t=t), t)
        await send_ephemeral(
            interaction,
            "",
            embed=discord.Embed(
                title=t._("Features"),
                description=clip(summary, EMBED_DESCRIPTION_LIMIT),
                colour=COLOUR_OPEN,
            ),
        )

    @app_commands.command(
        name="limits", description=N_("Per-member ticket cap, cooldown, inactivity hours")
    )
    @app_commands.describe(
        max_open_tickets=N_("Open tickets one member may have (1–50, default 3)"),
        cooldown_seconds=N_("Wait between two new tickets of one member (0–3600, default 30)"),
        reminder_hours=N_("Remind a member who hasn't answered after this many hours (default 48)"),
        autoclose_hours=N_("Then close the ticket this many hours later (default 24)"),
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

        def limits_text(t: Speech) -> str:
            return t._(
                "Open tickets per member: {limit}\nCooldown: {seconds}s\n"
                "Reminder after {reminder}h, auto-close {close}h later",
                limit=config.max_open_tickets,
                seconds=config.cooldown_seconds,
                reminder=config.reminder_hours,
                close=config.autoclose_hours,
            )

        await send_ephemeral(interaction, limits_text(member_speech(interaction)))
        server = self.desk.server_speech(config)
        await self._audit(
            config,
            N_("⚙️ {user} changed limits: {limits}"),
            user=interaction.user.mention,
            limits=limits_text(server).replace("\n", "; "),
        )

    @app_commands.command(name="panel", description=N_("Post a panel with an Open a ticket button"))
    @app_commands.describe(channel=N_("Where to post it (default: this channel)"))
    async def panel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        _, config = await self._admin(interaction)
        target = channel or interaction.channel
        if not isinstance(target, discord.TextChannel):
            raise InvalidInput("channel", "admin.not_text_channel")
        server = self.desk.server_speech(config)
        embed = discord.Embed(
            title=server._("Need help?"),
            description=server._(
                "Press **Open a ticket** and tell us what's wrong. A private thread is created "
                "where our staff will answer you."
            ),
            colour=COLOUR_OPEN,
        )
        await target.send(embed=embed, view=panel_view(server), allowed_mentions=NO_PINGS)
        t = member_speech(interaction)
        await send_ephemeral(interaction, t._("Panel posted in {channel}.", channel=target.mention))
        await self._audit(
            config,
            N_("⚙️ {user} posted a ticket panel in {channel}"),
            user=interaction.user.mention,
            channel=target.mention,
        )

    @app_commands.command(
        name="ai-knowledge", description=N_("Give the AI reference text to answer from")
    )
    @app_commands.describe(
        file=N_("A UTF-8 .txt or .md file (up to 20,000 characters); omit to clear")
    )
    async def ai_knowledge(
        self, interaction: discord.Interaction, file: discord.Attachment | None = None
    ) -> None:
        actor, _ = await self._admin(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await read_knowledge_file(file) if file is not None else None
        config = await self.guilds.set_ai_knowledge(actor, text)
        t = member_speech(interaction)
        if text is None:
            done = t._("The AI's reference text is cleared.")
        else:
            done = t.ngettext(
                "The AI will now answer with this reference text ({count} character).",
                "The AI will now answer with this reference text ({count} characters).",
                len(text),
                count=t.number(len(text)),
            )
        await send_ephemeral(interaction, done)
        await self._audit(
            config, N_("⚙️ {user} changed the AI reference text"), user=interaction.user.mention
        )

    @app_commands.command(
        name="language", description=N_("The language of threads, logs and DMs on this server")
    )
    @app_commands.describe(language=N_("A language, or the server's own language on Discord"))
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction, language: str) -> None:
        actor, _ = await self._admin(interaction)
        await set_server_language(self.desk, interaction, actor, language)

    @app_commands.command(name="forget-server", description=N_("Delete all of this server's data"))
    async def forget_server(self, interaction: discord.Interaction) -> None:
        await self._admin(interaction)
        t = member_speech(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetConfirm(interaction.guild_id or 0, t))
        await send_ephemeral(
            interaction,
            t._(
                "This deletes every ticket, reply, form, submission and setting of this server "
                "from the bot's database. It can't be undone. Are you sure?"
            ),
            view=view,
        )
