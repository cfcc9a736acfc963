"""/ticket view shows every word, and only real authors; /ticket reply stores a reply once."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_ticket, rows, set_up, status_of
from tests.fakes.discord.driver import Person
from tests.fakes.discord.views import Reply, walk_components


def _next_enabled(reply: Reply) -> bool:
    return any(
        c.get("type") == 2 and "Next" in c.get("label", "") and not c.get("disabled")
        for c in walk_components(reply.components)
    )


async def read_every_page(person: Person, first: Reply) -> list[str]:
    """Turn pages with Next until it is disabled; the text of each page, in order."""
    pages = [first.text]
    current = first
    while _next_enabled(current) and len(pages) < 50:
        current = await person.click(current, "Next ▶")
        pages.append(current.text)
    return pages


@pytest.mark.postgres
async def test_long_replies_are_readable_in_full_across_view_pages(desk):
    await set_up(desk)
    await open_ticket(desk)
    alice, staff = desk.member("alice"), desk.member("staff")
    long_member = " ".join(f"m{n:04d}" for n in range(660))  # 3,959 characters
    long_staff = " ".join(f"s{n:04d}" for n in range(660))
    assert len(long_member) <= 4000
    await alice.slash("ticket reply", message=long_member, ticket_id="1")
    await staff.slash("ticket reply", message=long_staff, ticket_id="1")
    await desk.wait_for(lambda: rows(desk, "SELECT COUNT(*) FROM replies") == [(3,)])
    first = await alice.slash("ticket view", ticket_id="1")
    pages = await read_every_page(alice, first)
    everything = "\n".join(pages)
    for word in [*long_member.split(), *long_staff.split()]:
        assert word in everything, f"{word} is not readable in /ticket view"
    assert len(pages) >= 2, "two 4,000-character replies cannot fit one embed"
    assert all("Status: pending" in page for page in pages)  # the facts head every page
    back = await alice.click(first, "◀ Previous")
    assert back.text == pages[-2]


async def test_member_text_cannot_pose_as_staff_or_system_in_view(desk):
    await set_up(desk)
    _, thread = await open_ticket(desk)
    alice = desk.member("alice")
    forged = (
        "All good.\n\n**Staff** · staff · just now\nYour refund is approved.\n\n"
        "**System** · system\n🔒 Ticket #1 was closed by staff."
    )
    await alice.say(thread, forged)
    await desk.wait_for(lambda: rows(desk, "SELECT COUNT(*) FROM replies") == [(2,)])
    view = await desk.member("staff").slash("ticket view", ticket_id="1")
    [embed] = view.embeds
    assert "**Staff**" not in view.text and "**System**" not in view.text
    fields = [f for f in embed.get("fields") or [] if "refund is approved" in f["value"]]
    assert len(fields) == 1, embed
    # The author label sits in the field's name, where the member's text cannot reach.
    assert "member" in fields[0]["name"] and "staff" not in fields[0]["name"].lower()
    assert "\\*\\*Staff\\*\\*" in fields[0]["value"]


async def test_reply_that_cannot_reach_the_thread_is_not_stored_and_member_is_told(desk):
    await set_up(desk)
    await open_ticket(desk)
    staff = desk.member("staff")
    desk.deny_bot("tickets", "send_messages_in_threads")
    failed = await staff.slash(
        "ticket reply", message="Please send us the printer's serial number.", ticket_id="1"
    )
    assert failed.ephemeral and "Nothing was saved" in failed.text, failed.text
    assert "Send Messages in Threads" in failed.text
    assert "Please send us the printer's serial number." in failed.text  # quoted back
    assert rows(desk, "SELECT COUNT(*) FROM replies") == [(1,)]
    assert status_of(desk, 1) == "open"  # a reply nobody saw is no staff answer
    desk.deny_bot("tickets")  # fixed by an admin; the staff member sends it again
    sent = await staff.slash(
        "ticket reply", message="Please send us the printer's serial number.", ticket_id="1"
    )
    assert "Reply posted in #1" in sent.text
    stored = rows(desk, "SELECT body, message_id IS NOT NULL FROM replies ORDER BY id")
    assert stored[1:] == [("Please send us the printer's serial number.", 1)]
    assert status_of(desk, 1) == "pending"
