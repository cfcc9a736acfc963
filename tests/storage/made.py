"""Rows the storage tests need, written as the services would write them."""

from __future__ import annotations

from datetime import datetime

from core.models import Department, Priority, Ticket
from core.ports import UnitOfWork


async def insert_ticket(
    uow: UnitOfWork,
    *,
    guild_id: int,
    owner_id: int,
    now: datetime,
    priority: Priority = Priority.MEDIUM,
    department: Department = Department.BILLING,
) -> Ticket:
    """An open ticket (subject "s", message "m", AI off) inside the caller's write."""
    return await uow.tickets.insert(
        guild_id=guild_id,
        owner_id=owner_id,
        subject="s",
        message="m",
        priority=priority,
        department=department,
        ai_active=False,
        now=now,
    )
