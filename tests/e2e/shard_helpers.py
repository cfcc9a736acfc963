"""What the shard tests share: starting bots as shards, and a desk's work seeded through
the services straight into the database (as another process, or another front end, would
have left it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.access import ServerIds
from core.clock import ManualClock
from core.guilds import GuildService
from core.models import Actor, Ticket
from core.ports import Store
from core.tickets import TicketService
from core.upkeep import InactivityService
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.messages import add_thread_member, create_message
from tests.fakes.discord.rest_channels import _new_thread
from tests.fakes.discord.shards import Shard
from tests.fakes.discord.state import PRIVATE_THREAD, DiscordState, Guild, Payload

COUNT = 2  # the tests run the desk as two shards


def shard_env(shard_ids: str, **more: str | None) -> dict[str, str | None]:
    """The bot's environment for shards `shard_ids` of COUNT, commands synced globally
    (a second server can only use global commands)."""
    return {"SHARD_COUNT": str(COUNT), "SHARD_IDS": shard_ids, "DEV_GUILD_ID": None, **more}


def identified(desk: Desk) -> list[Shard]:
    """The shards of the sessions IDENTIFYed so far, in order."""
    shards = [frame.get("shard") for frame in desk.fake.gateway.identifies]
    return [(s[0], s[1]) if s else (0, 1) for s in shards]


async def wait_identified(desk: Desk, *shards: int, after: int = 0) -> None:
    """Until a session of each of `shards` has IDENTIFYed (after the first `after`
    IDENTIFYs the fake saw: `len(desk.fake.gateway.identifies)` before a restart)."""
    await desk.wait_for(
        lambda: {(s, COUNT) for s in shards} <= set(identified(desk)[after:]),
        timeout=20,
        message=f"shards {shards} to identify",
    )


def ids_of(guild: Guild) -> ServerIds:
    return ServerIds(
        guild_id=guild.id,
        channel_ids=frozenset(guild.channels),
        role_ids=frozenset(guild.roles),
    )


@dataclass
class Seeded:
    """A guild's tickets, each waiting for one kind of background work."""

    waiting: Ticket  # no thread yet: the thread opener's
    to_remind: Ticket  # pending, its member quiet for days: a reminder is due
    to_close: Ticket  # reminded a day and more ago: the auto-close is due
    closed: Ticket  # closed, its Discord side still to do: the close sweep's


def ticket_thread(state: DiscordState, guild: Guild, name: str, *people: int) -> Payload:
    """A private thread the bot made under #tickets (before this test's bot ran)."""
    body = {"type": PRIVATE_THREAD, "invitable": False, "auto_archive_duration": 10080}
    thread = _new_thread(state, guild.channel_named("tickets"), name, PRIVATE_THREAD, body)
    for user_id in (state.application_id, *people):
        add_thread_member(state, thread, user_id)
    return thread


async def seed_guild(
    store: Store, state: DiscordState, guild: Guild, *, wrote_while_down: bool = False
) -> Seeded:
    """Set the guild up and leave one ticket of each kind, all due now, through the
    services. `wrote_while_down`: the member then posted in the quiet ticket's thread, so
    a catch-up that reads that thread would store it (and the ticket would reopen)."""
    clock = ManualClock(datetime.now(UTC) - timedelta(hours=100))
    guilds = GuildService(store, clock)
    tickets = TicketService(store, guilds, clock)
    inactivity = InactivityService(store, tickets, clock)
    admin = Actor(user_id=guild.owner_id, guild_id=guild.id, is_admin=True)
    await guilds.setup(
        admin,
        ticket_channel_id=int(guild.channel_named("tickets")["id"]),
        staff_role_id=int(guild.role_named("Staff")["id"]),
        log_channel_id=int(guild.channel_named("logs")["id"]),
        server=ids_of(guild),
    )
    await guilds.set_limits(admin, cooldown_seconds=0, max_open_tickets=10)
    alice, staff_id = _user(guild, "alice"), _user(guild, "staff")
    member = Actor(user_id=alice, guild_id=guild.id)
    waiting = await tickets.create(member, subject="Waiting", message="No thread yet")
    pending = []
    for subject in ("Quiet", "Quieter"):
        ticket = await tickets.create(member, subject=subject, message="Help")
        thread = ticket_thread(state, guild, f"{subject} #{ticket.id}", alice, staff_id)
        await tickets.attach_thread(ticket.id, int(thread["id"]))
        answer = create_message(state, thread, staff_id, {"content": "Does it work now?"})
        ticket, _ = await tickets.record_message(
            thread_id=int(thread["id"]),
            author_id=staff_id,
            author_is_staff=True,
            body=answer["content"],
            message_id=int(answer["id"]),
        )
        pending.append(ticket)
    if wrote_while_down:
        quiet_thread = state.channels[pending[0].thread_id or 0]
        create_message(state, quiet_thread, alice, {"content": "Still broken, sorry"})
    closed = await tickets.create(member, subject="Done", message="Thanks")
    closed = await tickets.close(member, closed.id, "solved")
    clock.advance(hours=70)  # 30 hours ago: the second was reminded then
    assert await inactivity.mark_reminded(pending[1])
    return Seeded(waiting, pending[0], pending[1], closed)


def _user(guild: Guild, name: str) -> int:
    return next(
        int(member["user"]["id"])
        for member in guild.members.values()
        if member["user"]["username"] == name
    )
