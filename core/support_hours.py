"""Support hours: when staff are in, and when they are back.

A guild has one IANA time zone (through `zoneinfo`, so daylight saving is right) and any
number of ranges up to `MAX_RANGES` ("mon-fri 09:00-17:00", "sat 10:00-14:00"). Each call
of `set_hours` adds a range, or with `replace` starts over; `clear` removes them all (no
hours set: staff count as always in). A ticket opened outside the hours is flagged when it
is created (`outside_hours`), so statistics can count them later.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import Clock
from core.desk_tool_models import HoursRange, SupportHours
from core.errors import InvalidInput
from core.models import Actor
from core.policy import require_admin
from core.ports import Reads, Store, UnitOfWork

MAX_RANGES = 14  # two a day is plenty; more is almost surely a mistake
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_NAMES = {
    "monday": 0,
    "tuesday": 1,
    "tues": 1,
    "wednesday": 2,
    "thursday": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_GROUPS = {
    "daily": tuple(range(7)),
    "everyday": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
    "weekend": (5, 6),
}
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


# -- reading what an admin typed -----------------------------------------------------------


def parse_timezone(value: object) -> str:
    """An IANA time zone name as `zoneinfo` knows it, e.g. "Europe/Berlin"."""
    name = str(value or "").strip()
    try:
        # zoneinfo refuses relative paths and odd characters itself (ValueError).
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("timezone", "hours.bad_timezone", given=name[:60]) from None
    return name


def _day(token: str) -> int:
    if token in DAY_NAMES:
        return DAY_NAMES.index(token)
    if token in _LONG_NAMES:
        return _LONG_NAMES[token]
    raise InvalidInput("days", "hours.bad_days")


def parse_days(value: object) -> tuple[int, ...]:
    """ "mon-fri", "mon,wed,sat", "fri-mon" (wrapping), "weekdays", "daily" -> weekday numbers."""
    text = re.sub(r"\s*-\s*", "-", str(value or "").strip().lower()).replace(" ", ",")
    if text.replace(",", "") in _GROUPS:
        return _GROUPS[text.replace(",", "")]
    days: set[int] = set()
    for part in filter(None, text.split(",")):
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day(first.strip()), _day(last.strip())
            days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
        else:
            days.add(_day(part))
    if not days:
        raise InvalidInput("days", "hours.bad_days")
    return tuple(sorted(days))


def parse_minute(field: str, value: object, *, end: bool = False) -> int:
    """ "HH:MM" (24-hour) as minutes after midnight; an end may be 24:00."""
    match = _TIME.fullmatch(str(value or "").strip())
    if match is None:
        raise InvalidInput(field, "hours.bad_time")
    hour, minute = int(match[1]), int(match[2])
    total = hour * 60 + minute
    if minute > 59 or total > (24 * 60 if end else 24 * 60 - 1):
        raise InvalidInput(field, "hours.bad_time")
    return total


def parse_range(days: object, start: object, end: object) -> HoursRange:
    start_minute = parse_minute("start", start)
    end_minute = parse_minute("end", end, end=True)
    if end_minute == start_minute:  # 00:00-24:00 is a whole day; 09:00-09:00 is unclear
        raise InvalidInput("end", "hours.empty_range")
    return HoursRange(days=parse_days(days), start_minute=start_minute, end_minute=end_minute)


# -- when staff are in -------------------------------------------------------------------


def _at(day: date, minute: int, zone: ZoneInfo) -> datetime:
    day_offset, minute = divmod(minute, 24 * 60)
    return datetime.combine(day + timedelta(days=day_offset), time(minute // 60, minute % 60), zone)


def open_spans(hours: SupportHours, around: datetime) -> list[tuple[datetime, datetime]]:
    """The hours as (start, end) moments from the day before `around` to a week after it,
    sorted by start."""
    if not hours.is_set:
        return []
    assert hours.timezone is not None
    zone = ZoneInfo(hours.timezone)
    today = around.astimezone(zone).date()
    spans = []
    for offset in range(-1, 9):
        day = today + timedelta(days=offset)
        for span in hours.ranges:
            if day.weekday() not in span.days:
                continue
            end = span.end_minute + (24 * 60 if span.overnight else 0)
            spans.append((_at(day, span.start_minute, zone), _at(day, end, zone)))
    return sorted(spans)


def staff_back_at(hours: SupportHours, moment: datetime) -> datetime | None:
    """None when `moment` is within the hours (or none are set); else when they next begin."""
    spans = open_spans(hours, moment)
    if not spans or any(start <= moment < end for start, end in spans):
        return None
    return min(start for start, _ in spans if start > moment)


async def outside_hours(reads: Reads, guild_id: int, moment: datetime) -> bool:
    """Whether a ticket opened at `moment` comes in outside the guild's hours; `reads` is
    the create's unit of work, so the flag is decided with the hours as they are then."""
    return staff_back_at(await reads.support_hours.of(guild_id), moment) is not None


class SupportHoursService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def of(self, guild_id: int) -> SupportHours:
        return await self._store.reads.support_hours.of(guild_id)

    async def back_at(
        self, guild_id: int, moment: datetime
    ) -> tuple[SupportHours, datetime | None]:
        """The guild's hours, and when staff are next in if `moment` is outside them."""
        hours = await self.of(guild_id)
        return hours, staff_back_at(hours, moment)

    async def set_hours(
        self,
        actor: Actor,
        *,
        timezone: object,
        days: object,
        start: object,
        end: object,
        replace: bool = False,
    ) -> SupportHours:
        """Add a range (or, with `replace`, make it the only one). The guild has one time
        zone: a range in another one is refused unless the hours start over."""
        require_admin(actor)
        zone = parse_timezone(timezone)
        added = parse_range(days, start, end)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> SupportHours:
            current = await uow.support_hours.of(actor.guild_id)
            ranges = () if replace or not current.ranges else current.ranges
            if ranges and current.timezone != zone:
                raise InvalidInput(
                    "timezone", "hours.other_timezone", current=current.timezone, given=zone
                )
            if added in ranges:
                return current  # the same range twice is one range
            if len(ranges) >= MAX_RANGES:
                raise InvalidInput("days", "hours.too_many", max=MAX_RANGES)
            await uow.support_hours.replace(actor.guild_id, zone, (*ranges, added), now)
            return await uow.support_hours.of(actor.guild_id)

        return await self._store.write(work)

    async def clear(self, actor: Actor) -> SupportHours:
        require_admin(actor)
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> SupportHours:
            await uow.support_hours.replace(actor.guild_id, None, (), now)
            return await uow.support_hours.of(actor.guild_id)

        return await self._store.write(work)
