"""Paged views (/ticket list, /ticket view) rebuilt from the state a button carries."""

from __future__ import annotations

import re
from typing import Self

import discord

from cogs.shared.buttons import PersistentButton
from cogs.shared.custom_ids import ANY, id_in, page_in
from cogs.shared.desk import TicketDesk
from cogs.shared.language import member_speech
from cogs.shared.pager import NEXT, PREVIOUS, page_label, pager, two_way
from cogs.tickets import render
from core.models import Department
from core.policy import is_staff
from core.validation import id_digits, parse_choice

DEPARTMENTS = list(Department)
# Replies a page; a page too long for one embed is shown in parts (render.view_embeds).
VIEW_PAGE_SIZE = 5
LAST_PART = "e"  # "the last part of that page", for Previous from a page's first part


class PageButton(
    PersistentButton,
    template=rf"page:(?P<kind>list|view):(?P<page>{ANY}):(?P<state>[^:]*)",
):
    """Next / Previous for /ticket list and /ticket view; the filters ride in the custom_id."""

    def __init__(self, kind: str, page: int, state: str, *, label: str, disabled: bool) -> None:
        super().__init__(f"page:{kind}:{page}:{state}", label=label, disabled=disabled)
        self.kind, self.page, self.state = kind, page, state

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls(
            match["kind"],
            page_in(match["page"]),
            match["state"],
            label=item.label or "",
            disabled=False,
        )

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        embed, view = await render_page(desk, interaction, self.kind, self.page, self.state)
        await interaction.response.edit_message(embed=embed, view=view)


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
    t = member_speech(interaction)
    if kind == "list":
        status, department, priority = parse_list_state(state)
        result = await desk.services.tickets.list(
            actor, status=status, department=department, priority=priority, page=page
        )
        embed = render.list_embed(
            result,
            everyone=is_staff(actor),
            filters=describe_filters(status, department, priority),
            t=t,
        )
        return embed, list_pager(result.page, result.page_count, state)
    ticket_id, part = parse_view_state(state)
    ticket, replies = await desk.services.tickets.view(
        actor, ticket_id, page=page, page_size=VIEW_PAGE_SIZE
    )
    # Staff notes: for staff only, at the head of the first page.
    staff_first_page = is_staff(actor) and replies.page == 0
    notes = await desk.services.notes.list(actor, ticket.id) if staff_first_page else []
    people = await desk.services.participants.of_ticket(actor, ticket.id)
    parts = render.view_embeds(ticket, replies, t, notes, people)
    index = len(parts) - 1 if part is None else min(part, len(parts) - 1)
    return parts[index], view_pager(ticket.id, replies.page, index, len(parts), replies.has_next)


def list_pager(page: int, page_count: int, state: str) -> discord.ui.View | None:
    def make(target: int, forward: bool, disabled: bool) -> PageButton:
        return PageButton("list", target, state, label=page_label(forward), disabled=disabled)

    return pager(make, page, page_count)


def view_state(ticket_id: int, part: int | str = 0) -> str:
    """What a view's buttons carry besides the page: `ticket_id.part`."""
    return f"{ticket_id}.{part}"


def parse_view_state(state: str) -> tuple[int, int | None]:
    """(ticket id, part of the page; None for its last part). Buttons sent before pages
    had parts carry only the ticket id."""
    ticket, _, part = state.partition(".")
    number = id_in(ticket)  # a custom_id can be forged: a mangled id reads as no ticket
    if part == LAST_PART:
        return number, None
    return number, int(part) if part.isascii() and part.isdigit() else 0


def view_pager(
    ticket_id: int, page: int, part: int, parts: int, more_pages: bool
) -> discord.ui.View | None:
    """Previous and Next walk the parts of a page, then on to the next or previous page."""
    has_previous = page > 0 or part > 0
    has_next = part + 1 < parts or more_pages
    if not (has_previous or has_next):
        return None
    here = (page, view_state(ticket_id, part))
    if part > 0:
        previous = (page, view_state(ticket_id, part - 1))
    elif page > 0:
        previous = (page - 1, view_state(ticket_id, LAST_PART))
    else:
        previous = here
    if part + 1 < parts:
        following = (page, view_state(ticket_id, part + 1))
    elif more_pages:
        following = (page + 1, view_state(ticket_id, 0))
    else:
        following = here
    # A disabled button points where we are; the other never does, so custom_ids differ.
    return two_way(
        PageButton("view", *previous, label=PREVIOUS, disabled=not has_previous),
        PageButton("view", *following, label=NEXT, disabled=not has_next),
    )
