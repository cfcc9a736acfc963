"""/admin setup diagnoses effective permissions (channel overwrites included) for the bot,
for members (@everyone) and for the staff role, and names each fix (issue #12, defect 6)."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import rows, set_up
from tests.fakes.discord.driver import Desk

NOT_READY = "won't work until these are fixed"


def private_ticket_channel(desk: Desk) -> None:
    """What admins often do: hide #tickets from @everyone and let only the bot's role in.
    The bot can work there, but members cannot see their own ticket threads."""
    desk.set_overwrite("tickets", "@everyone", deny=("view_channel",))
    desk.set_overwrite("tickets", "TicketDesk", allow=("view_channel",))


async def setup(desk: Desk, **extra: str):
    return await desk.member("admin").slash(
        "admin setup", ticket_channel="tickets", staff_role="Staff", **extra
    )


@pytest.mark.postgres
async def test_setup_names_members_who_cannot_see_the_ticket_channel(desk: Desk) -> None:
    private_ticket_channel(desk)
    reply = await setup(desk)
    tickets = desk.channel("tickets").mention
    assert "is ready" not in reply.text, reply.text
    assert NOT_READY in reply.text
    assert f"In {tickets} members (@everyone) are missing: View Channel." in reply.text
    assert "allow them for @everyone" in reply.text  # the fix, where to click


async def test_setup_names_members_who_cannot_write_in_threads(desk: Desk) -> None:
    desk.set_overwrite("tickets", "@everyone", deny=("send_messages_in_threads",))
    desk.set_overwrite("tickets", "TicketDesk", allow=("send_messages_in_threads",))
    reply = await setup(desk)
    assert NOT_READY in reply.text
    assert "members (@everyone) are missing: Send Messages in Threads." in reply.text


async def test_setup_names_a_staff_role_that_cannot_see_the_channels(desk: Desk) -> None:
    desk.set_overwrite("tickets", "Staff", deny=("view_channel",))
    desk.set_overwrite("reviews", "Staff", deny=("view_channel",))
    reply = await setup(desk, review_channel="reviews")
    staff = f"<@&{desk.role('Staff')['id']}>"
    tickets, reviews = desk.channel("tickets").mention, desk.channel("reviews").mention
    assert NOT_READY in reply.text
    assert f"In {tickets} the staff role {staff} is missing: View Channel." in reply.text
    assert f"In {reviews} the staff role {staff} is missing: View Channel." in reply.text


async def test_setup_names_the_bots_fix_with_its_role(desk: Desk) -> None:
    desk.deny_bot("tickets", "create_private_threads")
    reply = await setup(desk)
    bot_role = f"<@&{desk.role('TicketDesk')['id']}>"
    assert "I am missing: Create Private Threads." in reply.text
    assert f"allow them for my role {bot_role}" in reply.text


async def test_a_member_role_that_may_see_the_channel_is_enough(desk: Desk) -> None:
    # A verification gate: @everyone sees nothing, a member role sees the ticket channel.
    private_ticket_channel(desk)
    desk.set_overwrite("tickets", "Billing", allow=("view_channel",))
    desk.set_overwrite("tickets", "Staff", allow=("view_channel",))
    reply = await setup(desk)
    billing = f"<@&{desk.role('Billing')['id']}>"
    assert "is ready" in reply.text, reply.text
    assert f"Only members with {billing} can open tickets" in reply.text


async def test_features_shows_the_same_diagnosis(desk: Desk) -> None:
    await set_up(desk)
    private_ticket_channel(desk)
    reply = await desk.member("admin").slash("admin features")
    assert "members (@everyone) are missing: View Channel." in reply.text


async def test_create_blames_members_permissions_not_the_bots(desk: Desk) -> None:
    await set_up(desk)
    private_ticket_channel(desk)
    reply = await desk.member("alice").slash(
        "ticket create", subject="Printer", message="It is on fire"
    )
    tickets = desk.channel("tickets").mention
    assert reply.ephemeral
    assert f"You don't have access to {tickets}" in reply.text, reply.text
    assert "missing: View Channel" in reply.text
    assert "my permissions" not in reply.text
    assert "It is on fire" in reply.text  # nothing typed is lost
    assert rows(desk, "SELECT COUNT(*) FROM tickets") == [(0,)]
    assert desk.threads() == []
