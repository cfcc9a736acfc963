"""`/admin hours timezone days start end [replace]` and `/admin hours-clear`.

Each `/admin hours` adds a range to the server's support hours (`replace:True` starts
over with just this one); `/admin hours-clear` removes them all, and then staff count as
always in. Both belong under `/admin` (cogs.admin builds it); this package's register()
adds them there. Discord hides `/admin` from members; the service refuses anyone but an
admin who sends one anyway.
"""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.text import send_ephemeral, user_mention
from cogs.tickets.hours_line import describe_hours
from i18n import N_

SUGGESTIONS = 25  # Discord shows at most 25 autocomplete choices


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def hours_commands(desk: TicketDesk) -> list[app_commands.Command]:
    """`hours` and `hours-clear`, added to `/admin` by this package's register()."""

    @app_commands.command(
        name="hours",
        description=N_("Support hours: outside them new tickets say when staff are back"),
    )
    @app_commands.describe(
        timezone=N_("The server's IANA time zone, e.g. Europe/Berlin or America/New_York"),
        days=N_("Days like mon-fri or mon,wed,sat"),
        start=N_("When staff start, 24-hour HH:MM, e.g. 09:00"),
        end=N_("When they stop, e.g. 17:00 (24:00 is midnight; before start runs overnight)"),
        replace=N_("Replace every range with this one (default: add it to the others)"),
    )
    async def hours(
        interaction: discord.Interaction,
        timezone: app_commands.Range[str, 1, 64],
        days: app_commands.Range[str, 1, 60],
        start: app_commands.Range[str, 1, 5],
        end: app_commands.Range[str, 1, 5],
        replace: bool = False,
    ) -> None:
        actor, config = await desk.actor(interaction)
        set_hours = await desk.services.hours.set_hours(
            actor, timezone=timezone, days=days, start=start, end=end, replace=replace
        )
        t, server = member_speech(interaction), desk.server_speech(config)
        explained = t._(
            "Outside these hours, new tickets tell the member when staff are back. Run "
            "`/admin hours` again to add a range, or `/admin hours-clear` to remove them."
        )
        await send_ephemeral(interaction, f"{describe_hours(set_hours, t)}\n{explained}")
        await desk.log_event(
            config,
            server._(
                "⚙️ {user} set the support hours. {summary}",
                user=user_mention(actor.user_id),
                summary=describe_hours(set_hours, server),
            ),
        )

    @hours.autocomplete("timezone")
    async def timezone_choices(
        interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        wanted = typed.strip().lower().replace(" ", "_")
        found = [zone for zone in _zones() if wanted in zone.lower()][:SUGGESTIONS]
        return [app_commands.Choice(name=zone, value=zone) for zone in found]

    @app_commands.command(
        name="hours-clear", description=N_("Remove the support hours (staff count as always in)")
    )
    async def hours_clear(interaction: discord.Interaction) -> None:
        actor, config = await desk.actor(interaction)
        await desk.services.hours.clear(actor)
        t, server = member_speech(interaction), desk.server_speech(config)
        await send_ephemeral(
            interaction,
            t._("Support hours removed: new tickets no longer say when staff are back."),
        )
        await desk.log_event(
            config, server._("⚙️ {user} removed the support hours", user=user_mention(actor.user_id))
        )

    return [hours, hours_clear]
