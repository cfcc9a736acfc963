"""`/admin hours`: what admins type, the line new tickets get outside the hours, stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up

BERLIN = ZoneInfo("Europe/Berlin")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def three_days_ahead() -> tuple[str, datetime]:
    """A day (as `/admin hours` takes it) that is certainly not today, and 10:00 Berlin time
    on it: hours on that day only are closed now, and open next at that moment."""
    day = (datetime.now(BERLIN) + timedelta(days=3)).date()
    opens = datetime(day.year, day.month, day.day, 10, tzinfo=BERLIN)
    return DAYS[day.weekday()], opens


@pytest.mark.postgres
async def test_a_ticket_opened_outside_the_hours_says_when_staff_are_back(desk):
    await set_up(desk)
    admin = desk.member("admin")
    day, opens = three_days_ahead()
    answer = await admin.slash(
        "admin hours", timezone="Europe/Berlin", days=day, start="10:00", end="12:00"
    )
    assert f"Support hours (Europe/Berlin): {day} 10:00–12:00" in answer.text
    await desk.next_message("logs", "set the support hours")

    _, thread = await open_ticket(desk, "alice")
    opening = await desk.next_message(thread, "New ticket #1")
    unix = int(opens.astimezone(UTC).timestamp())
    assert f"<t:{unix}:F>" in opening.text
    assert f"{opens:%A %d %B}, 10:00 (Europe/Berlin time)" in opening.text
    assert desk.member("alice").id in opening.mentioned_user_ids

    # Every day, all day: the next ticket is inside the hours and gets no such line.
    everyday = await admin.slash(
        "admin hours",
        timezone="Europe/Berlin",
        days="daily",
        start="00:00",
        end="24:00",
        replace=True,
    )
    assert "daily" not in everyday.text and "mon-sun 00:00–24:00" in everyday.text
    _, inside = await open_ticket(desk, "bob", subject="Scanner")
    later = await desk.next_message(inside, "New ticket #2")
    assert "<t:" not in later.text and "outside" not in later.text

    stats = await desk.member("staff").slash("ticket stats")
    assert "1 opened outside support hours" in stats.text
    assert rows(desk, "SELECT id FROM tickets WHERE opened_outside_hours = 1") == [(1,)]
    features = await admin.slash("admin features")
    assert "Support hours (Europe/Berlin): mon-sun 00:00–24:00" in features.text


async def test_ranges_add_up_and_clear(desk):
    await set_up(desk)
    admin = desk.member("admin")
    await admin.slash("admin hours", timezone="UTC", days="mon-fri", start="09:00", end="17:00")
    both = await admin.slash("admin hours", timezone="UTC", days="sat", start="22:00", end="02:00")
    assert "Support hours (UTC): mon-fri 09:00–17:00; sat 22:00–02:00 (overnight)" in both.text
    other = await admin.slash(
        "admin hours", timezone="Asia/Tokyo", days="sun", start="1:00", end="2:00"
    )
    assert "timezone: this server's hours are in UTC" in other.text
    assert "replace:True" in other.text
    cleared = await admin.slash("admin hours-clear")
    assert "Support hours removed" in cleared.text
    features = await admin.slash("admin features")
    assert "Support hours: not set" in features.text
    await desk.next_message("logs", "removed the support hours")


async def test_bad_hours_are_refused_naming_the_option(desk):
    await set_up(desk)
    admin = desk.member("admin")
    bad = await admin.slash(
        "admin hours", timezone="Mars/Olympus", days="mon-fri", start="09:00", end="17:00"
    )
    assert "timezone: 'Mars/Olympus' is not a time zone I know" in bad.text
    assert "Europe/Berlin" in bad.text
    bad = await admin.slash(
        "admin hours", timezone="Europe/Berlin", days="monday-fryday", start="09:00", end="17:00"
    )
    assert "days: must be days like mon-fri or mon,wed,sat" in bad.text
    bad = await admin.slash(
        "admin hours", timezone="Europe/Berlin", days="mon", start="9am", end="17:00"
    )
    assert "start: must be a 24-hour time like 09:00" in bad.text
    bad = await admin.slash(
        "admin hours", timezone="Europe/Berlin", days="mon", start="09:00", end="09:00"
    )
    assert "end: must differ from start" in bad.text
    assert "Support hours: not set" in (await admin.slash("admin features")).text
    choices = await admin.autocomplete("admin hours", "timezone", "berl")
    assert [c["value"] for c in choices] == ["Europe/Berlin"]


async def test_only_admins_set_hours(desk):
    await set_up(desk)
    refused = await raw_slash(
        desk, "staff", "admin hours", timezone="UTC", days="mon", start="09:00", end="10:00"
    )
    assert "Only server admins" in refused.text
    refused = await raw_slash(desk, "alice", "admin hours-clear")
    assert "Only server admins" in refused.text
