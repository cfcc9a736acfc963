"""Support hours in words: the line a ticket opened outside them gets, and the summary
`/admin features` and `/admin hours` show."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.shared.desk import TicketDesk
from core.desk_tool_models import HoursRange, SupportHours
from core.models import Ticket
from core.support_hours import DAY_NAMES


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


def describe_range(span: HoursRange) -> str:
    overnight = " (overnight)" if span.overnight else ""
    return f"{_days(span.days)} {_clock(span.start_minute)}–{_clock(span.end_minute)}{overnight}"


def describe_hours(hours: SupportHours) -> str:
    if not hours.is_set:
        return "Support hours: not set (staff count as always in)"
    ranges = "; ".join(describe_range(span) for span in hours.ranges)
    return f"Support hours ({hours.timezone}): {ranges}"


def back_line(hours: SupportHours, back: datetime) -> str:
    """When staff are back, in the server's time zone and as a Discord timestamp (which
    every member's client shows in their own time)."""
    assert hours.timezone is not None
    local = back.astimezone(ZoneInfo(hours.timezone))
    return (
        f"🌙 This ticket came in outside our support hours. Staff are back on "
        f"{local:%A %d %B, %H:%M} ({hours.timezone} time), <t:{int(back.timestamp())}:F> "
        "for you. Add anything that helps in the meantime; they'll see it first."
    )


async def staff_away_line(desk: TicketDesk, ticket: Ticket) -> str | None:
    """The opening message's line when it is posted outside the hours; None inside them.

    Judged when the message is posted, not when the ticket was opened: a thread made on a
    later retry must not announce a return that has already happened.
    """
    hours, back = await desk.services.hours.back_at(ticket.guild_id, desk.services.clock.now())
    return None if back is None else back_line(hours, back)
