"""Paged views (/ticket list, /ticket view) rebuilt from the state a button carries."""

from __future__ import annotations

import discord

from cogs import render
from cogs.components import pager
from cogs.custom_ids import id_in
from cogs.desk import TicketDesk
from core.models import Department, is_staff
from core.validation import id_digits, parse_choice

DEPARTMENTS = list(Department)
# Five replies of up to 700 characters each fit an embed's 4096 with the ticket's facts.
VIEW_PAGE_SIZE = 5


def list_state(status: str | None, department: str | None, priority: str | None) -> str:
    """Filters packed into a custom_id: `status.department-index.priority`."""
    dept = ""
    if department:
        dept = str(DEPARTMENTS.index(parse_choice("department", department, Department, None)))
    return f"{status or ''}.{dept}.{priority or ''}"


def parse_list_state(state: str) -> tuple[str | None, str | None, str | None]:
    status, dept, priority = ([*state.split("."), "", "", ""])[:3]
    department = (
        DEPARTMENTS[index].value
        if (index := id_digits(dept)) is not None and index < len(DEPARTMENTS)
        else None
    )
    return status or None, department, priority or None


def describe_filters(status: str | None, department: str | None, priority: str | None) -> str:
    return ", ".join(str(v) for v in (status, department, priority) if v)


async def render_page(
    desk: TicketDesk, interaction: discord.Interaction, kind: str, page: int, state: str
) -> tuple[discord.Embed, discord.ui.View | None]:
    actor, _ = await desk.actor(interaction)
    if kind == "list":
        status, department, priority = parse_list_state(state)
        result = await desk.services.tickets.list(
            actor, status=status, department=department, priority=priority, page=page
        )
        embed = render.list_embed(
            result, everyone=is_staff(actor), filters=describe_filters(status, department, priority)
        )
        return embed, pager("list", result.page, result.page_count, state)
    ticket, replies = await desk.services.tickets.view(
        actor, id_in(state), page=page, page_size=VIEW_PAGE_SIZE
    )
    return render.view_embed(ticket, replies), pager(
        "view", replies.page, replies.page_count, state
    )
