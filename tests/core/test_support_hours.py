"""Support hours: what admins may type, when staff are back, and the flag on new tickets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.desk_tool_models import HoursRange, SupportHours
from core.errors import Forbidden, InvalidInput
from core.support_hours import (
    MAX_RANGES,
    SupportHoursService,
    parse_days,
    parse_range,
    staff_back_at,
)
from tests.core.conftest import admin, member, staff
from tests.core.said import raises_worded

BERLIN = "Europe/Berlin"


@pytest.fixture
def hours(store, clock) -> SupportHoursService:
    return SupportHoursService(store, clock)


def berlin(*ranges: tuple[str, str, str]) -> SupportHours:
    return SupportHours(guild_id=1, timezone=BERLIN, ranges=tuple(parse_range(*r) for r in ranges))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("mon,wed,sat", (0, 2, 5)),
        ("Mon, Wed , SAT", (0, 2, 5)),
        ("fri-mon", (0, 4, 5, 6)),
        ("sat - sun", (5, 6)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("daily", (0, 1, 2, 3, 4, 5, 6)),
        ("tuesday", (1,)),
    ],
)
def test_days_as_admins_type_them(typed: str, days: tuple[int, ...]) -> None:
    assert parse_days(typed) == days


@pytest.mark.parametrize(
    ("days", "start", "end", "field", "rule"),
    [
        ("mon-fry", "09:00", "17:00", "days", "must be days like mon-fri or mon,wed,sat"),
        ("", "09:00", "17:00", "days", "must be days like"),
        ("mon", "9am", "17:00", "start", "must be a 24-hour time like 09:00"),
        ("mon", "24:00", "17:00", "start", "must be a 24-hour time"),
        ("mon", "09:60", "17:00", "start", "must be a 24-hour time"),
        ("mon", "09:00", "24:01", "end", "must be a 24-hour time"),
        ("mon", "09:00", "09:00", "end", "must differ from start"),
    ],
)
def test_bad_ranges_name_the_option(days, start, end, field, rule) -> None:
    with raises_worded(InvalidInput, f"{field}: {rule}"):
        parse_range(days, start, end)


def test_when_staff_are_back() -> None:
    week = berlin(("mon-fri", "09:00", "17:00"))
    # Wednesday 2026-01-07 12:00 in Berlin (UTC+1) is within the hours.
    assert staff_back_at(week, utc(2026, 1, 7, 11)) is None
    # Wednesday 18:00 in Berlin: back Thursday 09:00 Berlin, 08:00 UTC.
    assert staff_back_at(week, utc(2026, 1, 7, 17)) == utc(2026, 1, 8, 8)
    # Friday 17:00 sharp is already outside; back Monday 09:00.
    assert staff_back_at(week, utc(2026, 1, 9, 16)) == utc(2026, 1, 12, 8)
    # In summer Berlin is UTC+2: the same 09:00 is 07:00 UTC.
    assert staff_back_at(week, utc(2026, 7, 4, 12)) == utc(2026, 7, 6, 7)
    # No hours set: staff count as always in.
    assert staff_back_at(SupportHours(guild_id=1), utc(2026, 1, 4, 3)) is None


def test_overnight_and_several_ranges() -> None:
    nights = berlin(("fri", "22:00", "06:00"), ("sat", "10:00", "14:00"))
    # Saturday 03:00 Berlin is inside Friday's night range.
    assert staff_back_at(nights, utc(2026, 1, 10, 2)) is None
    # Saturday 08:00 Berlin: back at 10:00 the same day.
    assert staff_back_at(nights, utc(2026, 1, 10, 7)) == utc(2026, 1, 10, 9)
    # Saturday 15:00 Berlin: back next Friday 22:00.
    assert staff_back_at(nights, utc(2026, 1, 10, 14)) == utc(2026, 1, 16, 21)
    whole = berlin(("sun", "00:00", "24:00"))
    assert staff_back_at(whole, utc(2026, 1, 4, 0)) is None  # 01:00 Berlin
    assert staff_back_at(whole, utc(2026, 1, 4, 22, 59)) is None  # 23:59 Berlin
    assert staff_back_at(whole, utc(2026, 1, 4, 23)) == utc(2026, 1, 10, 23)
    late = berlin(("mon", "20:00", "24:00"))
    assert staff_back_at(late, utc(2026, 1, 5, 22, 59)) is None
    assert staff_back_at(late, utc(2026, 1, 5, 23)) == utc(2026, 1, 12, 19)


async def test_admins_add_ranges_replace_and_clear(hours) -> None:
    first = await hours.set_hours(
        admin(), timezone=BERLIN, days="mon-fri", start="09:00", end="17:00"
    )
    assert first.timezone == BERLIN and len(first.ranges) == 1
    both = await hours.set_hours(admin(), timezone=BERLIN, days="sat", start="10:00", end="14:00")
    assert both.ranges == (
        HoursRange(days=(0, 1, 2, 3, 4), start_minute=540, end_minute=1020),
        HoursRange(days=(5,), start_minute=600, end_minute=840),
    )
    again = await hours.set_hours(admin(), timezone=BERLIN, days="sat", start="10:00", end="14:00")
    assert again.ranges == both.ranges
    with raises_worded(InvalidInput, "timezone: this server's hours are in Europe/Berlin"):
        await hours.set_hours(admin(), timezone="Asia/Tokyo", days="sun", start="1:00", end="2:00")
    tokyo = await hours.set_hours(
        admin(), timezone="Asia/Tokyo", days="sun", start="1:00", end="2:00", replace=True
    )
    assert tokyo.timezone == "Asia/Tokyo" and len(tokyo.ranges) == 1
    assert (await hours.of(tokyo.guild_id)) == tokyo
    cleared = await hours.clear(admin())
    assert not cleared.is_set and cleared.ranges == ()


async def test_hours_refusals(hours) -> None:
    for who in (member(), staff()):
        with raises_worded(Forbidden, "Only server admins"):
            await hours.set_hours(who, timezone=BERLIN, days="mon", start="09:00", end="10:00")
        with raises_worded(Forbidden, "Only server admins"):
            await hours.clear(who)
    for zone in ("Mars/Olympus", "Europe/berlin ", "../../etc/passwd", ""):
        with raises_worded(InvalidInput, "timezone: .* use an IANA name like Europe/Berlin"):
            await hours.set_hours(admin(), timezone=zone, days="mon", start="09:00", end="10:00")
    for hour in range(MAX_RANGES):
        await hours.set_hours(
            admin(), timezone="UTC", days="mon", start=f"{hour}:00", end=f"{hour}:30"
        )
    with raises_worded(InvalidInput, f"already has {MAX_RANGES} ranges"):
        await hours.set_hours(admin(), timezone="UTC", days="tue", start="09:00", end="10:00")


@pytest.mark.usefixtures("set_up")
async def test_tickets_opened_outside_hours_are_counted(hours, tickets, clock) -> None:
    await hours.set_hours(admin(), timezone="UTC", days="mon-fri", start="09:00", end="17:00")
    # The manual clock starts on Thursday 2026-01-01 at midnight UTC: outside.
    night = await tickets.create(member(1), subject="At night", message="Help")
    clock.advance(hours=10)
    day = await tickets.create(member(2), subject="By day", message="Help")
    assert (await tickets.stats(staff())).opened_outside_hours == 1
    _, back = await hours.back_at(night.guild_id, night.created_at)
    assert back == utc(2026, 1, 1, 9)
    assert (await hours.back_at(day.guild_id, day.created_at))[1] is None
    await hours.clear(admin())
    assert (await tickets.stats(staff())).opened_outside_hours == 1  # counted as it was
