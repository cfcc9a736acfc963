"""How tickets, lists and stats look in Discord (SPEC §7): plain words people and tools read."""

from __future__ import annotations

from datetime import datetime

import discord

from cogs.common import COLOUR_OPEN, EMBED_DESCRIPTION_LIMIT, clip
from core.models import AuthorKind, Page, Reply, Status, Ticket, TicketStats

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
    lines.append(f"Opened: {when(ticket.created_at)} · Updated: {when(ticket.updated_at)}")
    if ticket.status is Status.CLOSED and ticket.close_reason:
        lines.append(f"Close reason: {clip(ticket.close_reason, 300)}")
    return "\n".join(lines)


def opening_embed(ticket: Ticket) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"Ticket {ticket.ref}: {ticket.subject}", 256),
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
                f"{STATUS_MARK[ticket.status]} **{ticket.ref}** {clip(ticket.subject, 80)}\n"
                f"{ticket.status.value} · {ticket.priority.value} · {ticket.department.value}"
                f" · updated {when(ticket.updated_at)}"
            )
        description = "\n".join(rows)
    embed = discord.Embed(title=title, description=description, colour=COLOUR_OPEN)
    embed.set_footer(text=f"Page {page.page + 1} of {page.page_count} · {page.total} tickets")
    return embed


def reply_line(reply: Reply) -> str:
    author = "System" if reply.author_kind is AuthorKind.SYSTEM else f"<@{reply.author_id}>"
    edited = " (edited)" if reply.edited_at else ""
    files = "".join(f"\n📎 [{clip(a.filename, 60)}]({a.url})" for a in reply.attachments)
    return (
        f"**{author}** · {KIND_LABEL[reply.author_kind]} · {when(reply.created_at)}{edited}\n"
        f"{clip(reply.body, 700)}{files}"
    )


def view_embed(ticket: Ticket, replies: Page[Reply]) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"Ticket {ticket.ref}: {ticket.subject}", 256),
        description=ticket_lines(ticket),
        colour=COLOUR_OPEN,
    )
    body = "\n\n".join(reply_line(reply) for reply in replies.items) or "No replies yet."
    # Fields hold 1024 characters; the conversation gets the rest of the description room.
    embed.description = clip(
        f"{embed.description}\n\n**Conversation**\n{body}", EMBED_DESCRIPTION_LIMIT
    )
    embed.set_footer(
        text=f"Replies page {replies.page + 1} of {replies.page_count} · {replies.total} messages"
    )
    return embed


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
    embed.set_footer(text=f"{stats.total} tickets in all")
    return embed


def thread_name(ticket: Ticket) -> str:
    """A safe thread name: the id first, no mention syntax, within Discord's 100 chars."""
    cleaned = "".join(ch for ch in ticket.subject if ch not in "@<>#`*_~|\\" and ch.isprintable())
    return clip(f"{ticket.ref} {' '.join(cleaned.split())}".strip(), 100)
