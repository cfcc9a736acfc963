"""`/admin hours timezone days start end [replace]` and `/admin hours-clear`.

Each `/admin hours` adds a range to the server's support hours (`replace:True` starts
over with just this one); `/admin hours-clear` removes them all, and then staff count as
always in. A mixin of `AdminCommands` (the `/admin` group is one cog).
"""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.text import send_ephemeral
from cogs.tickets.hours_line import describe_hours
from core.models import Actor, GuildConfig

SUGGESTIONS = 25  # Discord shows at most 25 autocomplete choices


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


class HoursCommands:
    desk: TicketDesk

    async def _admin(self, interaction: discord.Interaction) -> tuple[Actor, GuildConfig]:
        raise NotImplementedError  # AdminCommands: refuses anyone but an admin

    async def _audit(
        self, config: GuildConfig, interaction: discord.Interaction, what: str
    ) -> None:
        raise NotImplementedError  # AdminCommands: a line in the log channel

    @app_commands.command(
        name="hours", description="Support hours: outside them new tickets say when staff are back"
    )
    @app_commands.describe(
        timezone="The server's IANA time zone, e.g. Europe/Berlin or America/New_York",
        days="Days like mon-fri or mon,wed,sat",
        start="When staff start, 24-hour HH:MM, e.g. 09:00",
        end="When they stop, e.g. 17:00 (24:00 is midnight; before start runs overnight)",
        replace="Replace every range with this one (default: add it to the others)",
    )
    async def hours(
        self,
        interaction: discord.Interaction,
        timezone: app_commands.Range[str, 1, 64],
        days: app_commands.Range[str, 1, 60],
        start: app_commands.Range[str, 1, 5],
        end: app_commands.Range[str, 1, 5],
        replace: bool = False,
    ) -> None:
        actor, config = await self._admin(interaction)
        hours = await self.desk.services.hours.set_hours(
            actor, timezone=timezone, days=days, start=start, end=end, replace=replace
        )
        summary = describe_hours(hours)
        await send_ephemeral(
            interaction,
            f"{summary}\nOutside these hours, new tickets tell the member when staff are back. "
            "Run `/admin hours` again to add a range, or `/admin hours-clear` to remove them.",
        )
        await self._audit(config, interaction, f"set the support hours. {summary}")

    @hours.autocomplete("timezone")
    async def _timezone_choices(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        wanted = typed.strip().lower().replace(" ", "_")
        found = [zone for zone in _zones() if wanted in zone.lower()][:SUGGESTIONS]
        return [app_commands.Choice(name=zone, value=zone) for zone in found]

    @app_commands.command(
        name="hours-clear", description="Remove the support hours (staff count as always in)"
    )
    async def hours_clear(self, interaction: discord.Interaction) -> None:
        actor, config = await self._admin(interaction)
        await self.desk.services.hours.clear(actor)
        await send_ephemeral(
            interaction,
            "Support hours removed: new tickets no longer say when staff are back.",
        )
        await self._audit(config, interaction, "removed the support hours")
