"""`/ticket add member|role`, `/ticket remove member`: people in a ticket's thread.

The `add` and `remove` groups belong under `/ticket` (cogs.tickets builds it); this
package's register() adds them there. Like the other `/ticket` commands they act on the
ticket whose thread they run in, or on `ticket_id`.

The service records who was added (and checks staff, the ticket, the owner); this module
brings them into the private thread or takes them out, and says so in the thread and the
log channel. Discord has no bulk add for threads: a member is added one by one
(PUT thread-members), a role only by mentioning it, which adds those of its members who
can see the ticket channel. If Discord refuses, the record is taken back, so it never
lists someone who is not in the thread.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.ownership import server_ids
from cogs.shared.text import NO_PINGS, send_ephemeral, user_mention
from cogs.staff.where import ticket_meant
from core.desk_tool_models import ParticipantKind
from core.errors import InvalidInput
from core.models import Ticket
from i18n import N_, Speech

log = logging.getLogger(__name__)

MISSING_ACCESS = 50001  # Discord: the member can't see the channel the thread is in


def people_groups(desk: TicketDesk) -> list[app_commands.Group]:
    """The `add` and `remove` groups, added to `/ticket` by this package's register()."""
    add = app_commands.Group(name="add", description=N_("Bring someone into a ticket (staff)"))
    remove = app_commands.Group(
        name="remove", description=N_("Take someone out of a ticket (staff)")
    )

    @add.command(name="member", description=N_("Add a member to the ticket's thread (staff)"))
    @app_commands.describe(
        member=N_("Who to add: they can read and reply, but not close it"),
        ticket_id=N_("Leave out inside a ticket thread"),
    )
    async def add_member_command(
        interaction: discord.Interaction, member: discord.Member, ticket_id: str | None = None
    ) -> None:
        number = await ticket_meant(desk, interaction, ticket_id)
        await add_member(desk, interaction, number, member)

    @add.command(name="role", description=N_("Bring a role into the ticket's thread (staff)"))
    @app_commands.describe(
        role=N_("The role to mention: its members who can see the ticket channel join"),
        ticket_id=N_("Leave out inside a ticket thread"),
    )
    async def add_role_command(
        interaction: discord.Interaction, role: discord.Role, ticket_id: str | None = None
    ) -> None:
        number = await ticket_meant(desk, interaction, ticket_id)
        await add_role(desk, interaction, number, role)

    @remove.command(
        name="member", description=N_("Take a member out of the ticket's thread (staff)")
    )
    @app_commands.describe(
        member=N_("Who to take out"), ticket_id=N_("Leave out inside a ticket thread")
    )
    async def remove_member_command(
        interaction: discord.Interaction, member: discord.Member, ticket_id: str | None = None
    ) -> None:
        number = await ticket_meant(desk, interaction, ticket_id)
        await remove_member(desk, interaction, number, member)

    return [add, remove]


async def _open_thread(desk: TicketDesk, ticket: Ticket) -> discord.Thread | None:
    """The ticket's thread, unarchived (Discord adds nobody to an archived thread)."""
    thread = await desk.thread_of(ticket)
    if thread is not None and thread.archived and not thread.locked:
        await thread.edit(archived=False)
    return thread


def _where(thread: discord.Thread, t: Speech) -> str:
    return thread.parent.mention if thread.parent else t._("the ticket channel")


def _refused(error: discord.HTTPException, who: str, thread: discord.Thread, t: Speech) -> str:
    if error.code == MISSING_ACCESS:
        return t._(
            "Discord wouldn't add {who} to the ticket thread: they can't see {where}. Nothing "
            "was recorded; an admin can let them view that channel, then try again.",
            who=who,
            where=_where(thread, t),
        )
    return t._(
        "Discord refused to add {who} to the ticket thread (error {status}). Nothing was "
        "recorded; check my permissions in {where} and try again.",
        who=who,
        status=error.status,
        where=_where(thread, t),
    )


def _unreachable(ticket: Ticket, t: Speech) -> str:
    return t._("I can't reach the thread of ticket {ref}.", ref=ticket.ref)


async def add_member(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, member: discord.Member
) -> None:
    if member.bot:
        raise InvalidInput("member", "participants.no_bots")
    actor, config = await desk.actor(interaction)
    t, server = member_speech(interaction), desk.server_speech(config)
    people = desk.services.participants
    ticket, new = await people.add_member(actor, ticket_id, member.id)
    await interaction.response.defer(ephemeral=True, thinking=True)
    thread = None
    try:
        thread = await _open_thread(desk, ticket)
        if thread is not None:
            await thread.add_user(member)
    except discord.HTTPException as error:
        if new:
            await people.withdraw(ticket.id, ParticipantKind.MEMBER, member.id)
        if thread is None:
            raise
        await send_ephemeral(interaction, _refused(error, member.mention, thread, t))
        return
    if thread is None:
        if new:
            await people.withdraw(ticket.id, ParticipantKind.MEMBER, member.id)
        await send_ephemeral(interaction, _unreachable(ticket, t))
        return
    if new:
        line = server._(
            "👥 {member} was added to ticket {ref} by {user}.",
            member=member.mention,
            ref=ticket.ref,
            user=user_mention(actor.user_id),
        )
        await _say_in_thread(thread, line, users=[member])
        await desk.log_event(config, line)
        done = t._(
            "Added {member} to ticket {ref}: they can read and reply like its owner, but not "
            "close it.",
            member=member.mention,
            ref=ticket.ref,
        )
    else:
        done = t._(
            "{member} was already added to ticket {ref}; they are in the thread.",
            member=member.mention,
            ref=ticket.ref,
        )
    await send_ephemeral(interaction, done)


async def add_role(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, role: discord.Role
) -> None:
    actor, config = await desk.actor(interaction)
    t, server = member_speech(interaction), desk.server_speech(config)
    guild = interaction.guild
    assert guild is not None  # the commands are guild-only
    people = desk.services.participants
    ticket, new = await people.add_role(actor, ticket_id, role.id, server=server_ids(guild))
    await interaction.response.defer(ephemeral=True, thinking=True)
    thread = await _open_thread(desk, ticket)
    if thread is None or not _can_ping(thread, role):
        if new:
            await people.withdraw(ticket.id, ParticipantKind.ROLE, role.id)
        if thread is None:
            await send_ephemeral(interaction, _unreachable(ticket, t))
            return
        raise InvalidInput("role", "participants.role_not_pingable", role_id=role.id)
    line = server._(
        "{role} you were brought into ticket {ref} by {user}.",
        role=role.mention,
        ref=ticket.ref,
        user=user_mention(actor.user_id),
    )
    try:
        await thread.send(
            line,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role.id)]
            ),
        )
    except discord.HTTPException:
        if new:
            await people.withdraw(ticket.id, ParticipantKind.ROLE, role.id)
        raise
    if new:
        await desk.log_event(
            config,
            server._(
                "👥 {role} was brought into ticket {ref} by {user}.",
                role=role.mention,
                ref=ticket.ref,
                user=user_mention(actor.user_id),
            ),
        )
    await send_ephemeral(
        interaction,
        t._(
            "Mentioned {role} in ticket {ref}. Discord has no way to add a whole role at once: "
            "the mention adds those of its members who can see {channel}, not people who get "
            "the role later, and a very large role may not be added in full. Use "
            "`/ticket add member` for anyone missing.",
            role=role.mention,
            ref=ticket.ref,
            channel=_where(thread, t),
        ),
    )


def _can_ping(thread: discord.Thread, role: discord.Role) -> bool:
    """A role mention pings (and adds people) only if the role is mentionable or the bot
    may mention every role there."""
    me = thread.guild.me
    return role.mentionable or (me is not None and thread.permissions_for(me).mention_everyone)


async def remove_member(
    desk: TicketDesk, interaction: discord.Interaction, ticket_id: int, member: discord.Member
) -> None:
    actor, config = await desk.actor(interaction)
    t, server = member_speech(interaction), desk.server_speech(config)
    ticket, recorded = await desk.services.participants.remove_member(actor, ticket_id, member.id)
    await interaction.response.defer(ephemeral=True, thinking=True)
    thread = await desk.thread_of(ticket)
    notes = []
    if thread is None:
        notes.append(t._("I couldn't reach the ticket's thread to take them out of it."))
    else:
        try:
            await thread.remove_user(member)
        except discord.NotFound:
            pass  # not in the thread (any more)
        except discord.HTTPException as error:
            notes.append(
                t._(
                    "Discord refused to take them out of the thread (error {status}); check "
                    "my Manage Threads permission there.",
                    status=error.status,
                )
            )
    line = server._(
        "👋 {member} was taken out of ticket {ref} by {user}.",
        member=member.mention,
        ref=ticket.ref,
        user=user_mention(actor.user_id),
    )
    if thread is not None and not notes:
        await _say_in_thread(thread, line, users=[])
    await desk.log_event(config, line)
    if recorded:
        done = t._("Took {member} out of ticket {ref}.", member=member.mention, ref=ticket.ref)
    else:
        done = t._(
            "{member} had not been added to ticket {ref}; I took them out of its thread anyway.",
            member=member.mention,
            ref=ticket.ref,
        )
    await send_ephemeral(interaction, " ".join([done, *notes]))


async def _say_in_thread(
    thread: discord.Thread, line: str, *, users: list[discord.abc.Snowflake]
) -> None:
    """Tell the thread; never fatal (the change is made and recorded already)."""
    try:
        await thread.send(
            line,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=users)
            if users
            else NO_PINGS,
        )
    except discord.HTTPException as error:
        log.warning("could not announce in thread %s: %s", thread.id, error)
