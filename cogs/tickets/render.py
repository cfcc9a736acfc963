"""How tickets, lists and stats look in Discord (SPEC §7): plain words people and tools read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from cogs.shared.text import COLOUR_OPEN, EMBED_DESCRIPTION_LIMIT, clip
from core.models import AuthorKind, Page, Reply, Status, Ticket, TicketStats
from core.staff_models import StaffNote

STATUS_MARK = {
    Status.OPEN: "🟢",
    Status.PENDING: "🟡",
    Status.RESOLVED: "🔵",
    Status.CLOSED: "⚫",
}
KIND_LABEL = {
    AuthorKind.MEMBER: "member",
    AuthorKind.STAFF: "staff",
    AuthorKind.AI: "AI answer",
    AuthorKind.SYSTEM: "system",
}


def when(moment: datetime) -> str:
    return discord.utils.format_dt(moment, "R")


def ticket_lines(ticket: Ticket) -> str:
    lines = [
        f"Status: {ticket.status.value}",
        f"Priority: {ticket.priority.value}",
        f"Department: {ticket.department.value}",
        f"Owner: <@{ticket.owner_id}>",
    ]
    if ticket.claimed_by:
        lines.append(f"Claimed by: <@{ticket.claimed_by}>")
    if ticket.thread_id:
        lines.append(f"Thread: <#{ticket.thread_id}>")
    elif ticket.waiting_for_thread:
        lines.append("Thread: being created")
    lines.append(f"Opened: {when(ticket.created_at)} · Updated: {when(ticket.updated_at)}")
    if ticket.status is Status.CLOSED and ticket.close_reason:
        lines.append(f"Close reason: {clip(shown(ticket.close_reason), 300)}")
    return "\n".join(lines)


def opening_embed(ticket: Ticket) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"Ticket {ticket.ref}: {shown(ticket.subject)}", 256),
        description=clip(ticket.message, EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR_OPEN,
        timestamp=ticket.created_at,
    )
    embed.add_field(name="Priority", value=ticket.priority.value)
    embed.add_field(name="Department", value=ticket.department.value)
    embed.add_field(name="Status", value=ticket.status.value)
    embed.set_footer(text=f"Ticket {ticket.ref} · type here to talk to staff")
    return embed


def list_embed(page: Page[Ticket], *, everyone: bool, filters: str) -> discord.Embed:
    title = "All tickets" if everyone else "Your tickets"
    if filters:
        title += f" ({filters})"
    if not page.items:
        description = "No tickets match." if filters else "No tickets yet."
    else:
        rows = []
        for ticket in page.items:
            rows.append(
                f"{STATUS_MARK[ticket.status]} **{ticket.ref}** {shown(clip(ticket.subject, 80))}\n"
                f"{ticket.status.value} · {ticket.priority.value} · {ticket.department.value}"
                f" · updated {when(ticket.updated_at)}"
            )
        description = "\n".join(rows)
    embed = discord.Embed(title=title, description=description, colour=COLOUR_OPEN)
    embed.set_footer(text=f"Page {page.page + 1} of {page.page_count} · {page.total} tickets")
    return embed


# Discord's embed limits: a field's value, fields per embed, and everything in one embed.
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
EMBED_TOTAL_LIMIT = 6000
QUOTE = ">>> "  # quotes everything after it to the end of the field


def shown(text: str) -> str:
    """Members' (and the model's) text as plain words: no markdown can change how it looks.

    escape_markdown escapes only the first masked link of a line (its pattern is greedy),
    so every `](` is also broken with an invisible space: no link can hide its address.
    """
    return discord.utils.escape_markdown(text).replace("](", "]\u200b(")


def reply_fields(reply: Reply, number: int) -> list[tuple[str, str]]:
    """A reply as embed fields (name, value): the whole body, over as many fields as it takes.

    Who wrote it is in the field's name, which nothing in the body can reach; the body is
    escaped and quoted under a header line of its own, so no reply can imitate another's
    author, kind or time.
    """
    edited = " (edited)" if reply.edited_at else ""
    label = f"{number} · {KIND_LABEL[reply.author_kind]}{edited}"
    author = "" if reply.author_kind is AuthorKind.SYSTEM else f"<@{reply.author_id}> · "
    header = f"{author}{when(reply.created_at)}\n"
    files = "".join(
        f"\n📎 [{clip(shown(a.filename).replace('[', '(').replace(']', ')'), 60)}]({a.url})"
        for a in reply.attachments
    )
    pieces = _pieces(reply.body, FIELD_VALUE_LIMIT - len(header), FIELD_VALUE_LIMIT)
    fields = []
    for index, piece in enumerate(pieces):
        name = label if index == 0 else f"{label} (continued {index + 1}/{len(pieces)})"
        fields.append((name, (header if index == 0 else "") + piece))
    if files:
        name, value = fields[-1]
        if len(value) + len(files) <= FIELD_VALUE_LIMIT:
            fields[-1] = (name, value + files)
        else:
            fields.append((f"{label} (files)", clip(files.strip(), FIELD_VALUE_LIMIT)))
    return fields


def note_fields(note: StaffNote, number: int, count: int) -> list[tuple[str, str]]:
    """A staff note as embed fields, marked as staff-only in every field's name."""
    label = f"🔒 Staff note {number} of {count} · staff only"
    header = f"<@{note.author_id}> · {when(note.created_at)}\n"
    pieces = _pieces(note.body, FIELD_VALUE_LIMIT - len(header), FIELD_VALUE_LIMIT)
    return [
        (label if index == 0 else f"{label} (continued)", (header if index == 0 else "") + piece)
        for index, piece in enumerate(pieces)
    ]


def _quoted(raw: str) -> str:
    return QUOTE + shown(raw)


def _pieces(text: str, first_room: int, room: int) -> list[str]:
    """Cut raw `text` so each piece, escaped and quoted, fits its field; words stay whole
    where a space or line break is near the cut."""
    pieces: list[str] = []
    rest, limit = text, first_room
    while True:
        if len(_quoted(rest)) <= limit:
            pieces.append(_quoted(rest))
            return pieces
        cut = _longest_fit(rest, limit)
        soft = max(rest.rfind("\n", 0, cut), rest.rfind(" ", 0, cut))
        if soft >= cut * 3 // 4:
            cut = soft + 1
        pieces.append(_quoted(rest[:cut]))
        rest, limit = rest[cut:], room


def _longest_fit(text: str, limit: int) -> int:
    """The longest prefix of `text` whose quoted form fits `limit` (at least one char)."""
    low, high = 1, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if len(_quoted(text[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def view_embeds(
    ticket: Ticket, replies: Page[Reply], notes: Sequence[StaffNote] = ()
) -> list[discord.Embed]:
    """One page of replies as one embed or more (each within Discord's 6,000 characters);
    the ticket's facts head every one, so each part reads on its own.

    `notes` (staff views only, first page only) come before the conversation, each field
    marked as a staff-only note.
    """
    title = clip(f"Ticket {ticket.ref}: {shown(ticket.subject)}", 256)
    facts = f"{ticket_lines(ticket)}\n\n**Conversation**"
    footer = f"Replies page {replies.page + 1} of {replies.page_count} · {replies.total} messages"
    # Room for the parts' own words: " · part 10 of 10" is at most 17 more characters.
    room = EMBED_TOTAL_LIMIT - len(title) - len(facts) - len(footer) - 20
    first_number = replies.page * replies.page_size + 1
    parts: list[list[tuple[str, str]]] = [[]]
    used = 0
    entries = [f for n, note in enumerate(notes, 1) for f in note_fields(note, n, len(notes))]
    for offset, reply in enumerate(replies.items):
        entries += reply_fields(reply, first_number + offset)
    for name, value in entries:
        size = len(name) + len(value)
        if parts[-1] and (used + size > room or len(parts[-1]) >= FIELDS_PER_EMBED):
            parts.append([])
            used = 0
        parts[-1].append((name, value))
        used += size
    embeds = []
    for index, fields in enumerate(parts):
        embed = discord.Embed(
            title=title,
            description=facts if fields else f"{facts}\nNo replies yet.",
            colour=COLOUR_OPEN,
        )
        for name, value in fields:
            embed.add_field(name=name, value=value, inline=False)
        part = f" · part {index + 1} of {len(parts)}" if len(parts) > 1 else ""
        embed.set_footer(text=footer + part)
        embeds.append(embed)
    return embeds


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "no responses yet"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    text = " ".join(p for p in parts if p)
    return text or f"{secs}s"


def stats_embed(stats: TicketStats) -> discord.Embed:
    embed = discord.Embed(title="Ticket statistics", colour=COLOUR_OPEN)
    embed.add_field(
        name="By status",
        value="\n".join(f"{status.value}: {count}" for status, count in stats.by_status.items()),
    )
    embed.add_field(
        name="By department",
        value="\n".join(f"{dep.value}: {count}" for dep, count in stats.by_department.items()),
    )
    embed.add_field(
        name="By priority",
        value="\n".join(f"{prio.value}: {count}" for prio, count in stats.by_priority.items()),
    )
    embed.add_field(
        name="Median first response",
        value=duration(stats.median_first_response_seconds),
        inline=False,
    )
    if stats.ratings_count:
        embed.add_field(
            name="Feedback",
            value=f"{stats.average_rating:.1f} / 5 from {stats.ratings_count} ratings",
            inline=False,
        )
    if stats.opened_outside_hours:
        embed.add_field(
            name="Support hours",
            value=f"{stats.opened_outside_hours} opened outside support hours",
            inline=False,
        )
    embed.set_footer(text=f"{stats.total} tickets in all")
    return embed


def thread_name(ticket: Ticket) -> str:
    """A safe thread name: the id first, no mention syntax, within Discord's 100 chars."""
    cleaned = "".join(ch for ch in ticket.subject if ch not in "@<>#`*_~|\\" and ch.isprintable())
    return clip(f"{ticket.ref} {' '.join(cleaned.split())}".strip(), 100)
