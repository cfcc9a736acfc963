"""People staff add to a ticket (and take out again), recorded with who did it.

A member added to a ticket reads and replies like its owner: `core.ticket_rules` lets them
through `load_ticket`, their replies count as the member side, and the member's ticket
list shows the ticket. They can't close or resolve it: that stays with the owner and
staff. A role can be brought in too; the record keeps which role and who brought it in,
and its people are in the thread (the front end brings them in), but command access stays
per person, so anyone can be taken out one by one.
"""

from __future__ import annotations

from core.access import ServerIds, require_own_ids
from core.clock import Clock
from core.desk_tool_models import Participant, ParticipantKind
from core.errors import InvalidInput
from core.guilds import GuildService
from core.models import Actor, Feature, Status, Ticket
from core.policy import require_staff
from core.ports import Store, UnitOfWork
from core.ticket_rules import load_ticket


class ParticipantService:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self._store = store
        self._guilds = guilds
        self._clock = clock

    async def _staff_change(self, actor: Actor) -> None:
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        require_staff(actor, "staff_only.add_people")

    async def add_member(self, actor: Actor, ticket_id: int, user_id: int) -> tuple[Ticket, bool]:
        """Record `user_id` as added by the actor; the ticket, and whether they are new
        (adding someone twice changes nothing, and the front end may add them to the
        thread again, e.g. after they left it)."""
        await self._staff_change(actor)
        return await self._add(actor, ticket_id, ParticipantKind.MEMBER, user_id)

    async def add_role(
        self, actor: Actor, ticket_id: int, role_id: int, *, server: ServerIds
    ) -> tuple[Ticket, bool]:
        await self._staff_change(actor)
        require_own_ids(server, roles={"role": role_id})
        if role_id == actor.guild_id:  # the everyone role has the server's id
            raise InvalidInput("role", "participants.everyone_role")
        return await self._add(actor, ticket_id, ParticipantKind.ROLE, role_id)

    async def _add(
        self, actor: Actor, ticket_id: int, kind: ParticipantKind, target_id: int
    ) -> tuple[Ticket, bool]:
        now = self._clock.now()

        async def work(uow: UnitOfWork) -> tuple[Ticket, bool]:
            ticket = await load_ticket(uow.tickets, actor, ticket_id)
            if ticket.status is Status.CLOSED:
                raise InvalidInput("ticket", "ticket.closed_reopen_first", ticket_id=ticket.id)
            if kind is ParticipantKind.MEMBER and target_id == ticket.owner_id:
                raise InvalidInput("member", "participants.is_owner", ticket_id=ticket.id)
            added = await uow.participants.add(
                ticket_id=ticket.id,
                guild_id=ticket.guild_id,
                kind=kind,
                target_id=target_id,
                added_by=actor.user_id,
                now=now,
            )
            return ticket, added

        return await self._store.write(work)

    async def withdraw(self, ticket_id: int, kind: ParticipantKind, target_id: int) -> None:
        """Take back an entry just recorded when Discord refused to bring them in, so the
        record never lists someone who is not in the thread."""
        await self._store.write(lambda uow: uow.participants.remove(ticket_id, kind, target_id))

    async def remove_member(
        self, actor: Actor, ticket_id: int, user_id: int
    ) -> tuple[Ticket, bool]:
        """Take `user_id` off the record; the ticket, and whether they were on it. Someone
        in the thread without being recorded (brought in with a role) is no error: the
        front end still takes them out of the thread."""
        await self._staff_change(actor)

        async def work(uow: UnitOfWork) -> tuple[Ticket, bool]:
            ticket = await load_ticket(uow.tickets, actor, ticket_id)
            if user_id == ticket.owner_id:
                raise InvalidInput("member", "participants.owner_stays", ticket_id=ticket.id)
            removed = await uow.participants.remove(ticket.id, ParticipantKind.MEMBER, user_id)
            return ticket, removed

        return await self._store.write(work)

    async def of_ticket(self, actor: Actor, ticket_id: int) -> list[Participant]:
        """Who was added to the ticket, for anyone who may see it."""
        await self._guilds.require_feature(actor.guild_id, Feature.TICKETING)
        reads = self._store.reads
        ticket = await load_ticket(reads.tickets, actor, ticket_id, reads.participants)
        return await reads.participants.of_ticket(ticket.id)
