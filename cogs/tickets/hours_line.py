"""Support hours in words: the line a ticket opened outside them gets, and the summary
`/admin features` and `/admin hours` show."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.shared.desk import TicketDesk
from core.desk_tool_models import HoursRange, SupportHours
from core.models import Ticket
from core.support_hours import DAY_NAMES
from i18n import NP_, Speech

# TRANSLATORS: a CLDR date pattern (weekday, day, month, 24-hour time), not a sentence:
# keep the letters' meaning (EEEE weekday, d day, MMMM month, HH:mm time), quote words.
DAY_AND_TIME = NP_("date pattern", "EEEE dd MMMM, HH:mm")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _days(days: tuple[int, ...]) -> str:
    """(0, 1, 2, 3, 4) -> "mon-fri"; (0, 2, 5) -> "mon,wed,sat"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAY_NAMES[run[0]] if len(run) == 1 else f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}"
        for run in runs
    )


def describe_range(span: HoursRange, t: Speech) -> str:
    """One range as admins type it (`mon-fri 09:00–17:00`: days stay as the command takes
    them), "(overnight)" in `t`'s words."""
    shown = f"{_days(span.days)} {_clock(span.start_minute)}–{_clock(span.end_minute)}"
    return t._("{range} (overnight)", range=shown) if span.overnight else shown


def describe_hours(hours: SupportHours, t: Speech) -> str:
    if not hours.is_set:
        return t._("Support hours: not set (staff count as always in)")
    ranges = "; ".join(describe_range(span, t) for span in hours.ranges)
    return t._("Support hours ({timezone}): {ranges}", timezone=hours.timezone, ranges=ranges)


def back_line(hours: SupportHours, back: datetime, t: Speech) -> str:
    """When staff are back, in the server's time zone and as a Discord timestamp (which
    every member's client shows in their own time), in the server's language `t`."""
    assert hours.timezone is not None
    local = back.astimezone(ZoneInfo(hours.timezone))
    return t._(
        "🌙 This ticket came in outside our support hours. Staff are back on {when} "
        "({timezone} time), {stamp} for you. Add anything that helps in the meantime; "
        "they'll see it first.",
        when=t.local_moment(local, t.pgettext("date pattern", DAY_AND_TIME)),
        timezone=hours.timezone,
        stamp=f"<t:{int(back.timestamp())}:F>",
    )


async def staff_away_line(desk: TicketDesk, ticket: Ticket, t: Speech) -> str | None:
    """The opening message's line when it is posted outside the hours; None inside them.

    Judged when the message is posted, not when the ticket was opened: a thread made on a
    later retry must not announce a return that has already happened.
    """
    hours, back = await desk.services.hours.back_at(ticket.guild_id, desk.services.clock.now())
    return None if back is None else back_line(hours, back, t)
