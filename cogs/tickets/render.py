"""How tickets, lists and stats look in Discord (SPEC §7): plain words people and tools read.

Every function takes the `Speech` to write in. The words SPEC §7 fixes stay English in
every language: `Status:`, `Priority:`, `Department:` and their values, `#id`, the status
words of the list and the stats (`open: 3`), and "AI answer".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from cogs.shared.language import closing_reason
from cogs.shared.text import (
    COLOUR_OPEN,
    EMBED_DESCRIPTION_LIMIT,
    channel_mention,
    clip,
    role_mention,
    user_mention,
)
from core.desk_tool_models import Participant, ParticipantKind
from core.models import AuthorKind, Page, Reply, Status, Ticket, TicketStats
from core.staff_models import StaffNote
from i18n import NP_, Speech

STATUS_MARK = {
    Status.OPEN: "🟢",
    Status.PENDING: "🟡",
    Status.RESOLVED: "🔵",
    Status.CLOSED: "⚫",
}
KIND_LABEL = {
    AuthorKind.MEMBER: NP_("author", "member"),
    AuthorKind.STAFF: NP_("author", "staff"),
    AuthorKind.SYSTEM: NP_("author", "system"),
}
AI_ANSWER = "AI answer"  # SPEC §7: the same in every language


def kind_label(kind: AuthorKind, t: Speech) -> str:
    return AI_ANSWER if kind is AuthorKind.AI else t.pgettext("author", KIND_LABEL[kind])


def when(moment: datetime) -> str:
    return discord.utils.format_dt(moment, "R")


def ticket_lines(ticket: Ticket, t: Speech) -> str:
    lines = [
        f"Status: {ticket.status.value}",
        f"Priority: {ticket.priority.value}",
        f"Department: {ticket.department.value}",
        t._("Owner: {user}", user=user_mention(ticket.owner_id)),
    ]
    if ticket.claimed_by:
        lines.append(t._("Claimed by: {user}", user=user_mention(ticket.claimed_by)))
    if ticket.thread_id:
        lines.append(t._("Thread: {thread}", thread=channel_mention(ticket.thread_id)))
    elif ticket.waiting_for_thread:
        lines.append(t._("Thread: being created"))
    lines.append(
        t._(
            "Opened: {opened} · Updated: {updated}",
            opened=when(ticket.created_at),
            updated=when(ticket.updated_at),
        )
    )
    if ticket.status is Status.CLOSED and ticket.close_reason:
        reason = clip(shown(closing_reason(ticket.close_reason, t)), 300)
        lines.append(t._("Close reason: {reason}", reason=reason))
    return "\n".join(lines)


# The people line stays short enough to leave the conversation its room in the embed.
PEOPLE_ROOM = 600


def people_line(people: Sequence[Participant], t: Speech) -> str:
    """Who staff added to the ticket (members and roles), as mentions: an embed shows
    them by name without pinging anyone."""
    mentions = [
        role_mention(p.target_id) if p.kind is ParticipantKind.ROLE else user_mention(p.target_id)
        for p in people
    ]
    shown: list[str] = []
    used = 0
    for mention in mentions:
        if used + len(mention) > PEOPLE_ROOM:
            break
        shown.append(mention)
        used += len(mention) + 2
    listed = ", ".join(shown) + (" …" if len(shown) < len(mentions) else "")
    return t._("Added to the ticket: {people}", people=listed)


def opening_embed(ticket: Ticket, t: Speech) -> discord.Embed:
    embed = discord.Embed(
        title=clip(
            t._("Ticket {ref}: {subject}", ref=ticket.ref, subject=shown(ticket.subject)), 256
        ),
        description=clip(ticket.message, EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR_OPEN,
        timestamp=ticket.created_at,
    )
    embed.add_field(name="Priority", value=ticket.priority.value)
    embed.add_field(name="Department", value=ticket.department.value)
    embed.add_field(name="Status", value=ticket.status.value)
    embed.set_footer(text=t._("Ticket {ref} · type here to talk to staff", ref=ticket.ref))
    return embed


def list_embed(page: Page[Ticket], *, everyone: bool, filters: str, t: Speech) -> discord.Embed:
    if filters:
        title = (
            t._("All tickets ({filters})", filters=filters)
            if everyone
            else t._("Your tickets ({filters})", filters=filters)
        )
    else:
        title = t._("All tickets") if everyone else t._("Your tickets")
    if not page.items:
        description = t._("No tickets match.") if filters else t._("No tickets yet.")
    else:
        rows = []
        for ticket in page.items:
            facts = f"{ticket.status.value} · {ticket.priority.value} · {ticket.department.value}"
            rows.append(
                f"{STATUS_MARK[ticket.status]} **{ticket.ref}** {shown(clip(ticket.subject, 80))}\n"
                + t._("{facts} · updated {when}", facts=facts, when=when(ticket.updated_at))
            )
        description = "\n".join(rows)
    embed = discord.Embed(title=title, description=description, colour=COLOUR_OPEN)
    footer = t.ngettext(
        "Page {page} of {pages} · {count} ticket",
        "Page {page} of {pages} · {count} tickets",
        page.total,
        page=t.number(page.page + 1),
        pages=t.number(page.page_count),
        count=t.number(page.total),
    )
    embed.set_footer(text=footer)
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


def reply_fields(reply: Reply, number: int, t: Speech) -> list[tuple[str, str]]:
    """A reply as embed fields (name, value): the whole body, over as many fields as it takes.

    Who wrote it is in the field's name, which nothing in the body can reach; the body is
    escaped and quoted under a header line of its own, so no reply can imitate another's
    author, kind or time.
    """
    kind = kind_label(reply.author_kind, t)
    label = f"{number} · {kind}"
    if reply.edited_at:
        label = t._("{number} · {kind} (edited)", number=number, kind=kind)
    author = "" if reply.author_kind is AuthorKind.SYSTEM else f"<@{reply.author_id}> · "
    header = f"{author}{when(reply.created_at)}\n"
    files = "".join(
        f"\n📎 [{clip(shown(a.filename).replace('[', '(').replace(']', ')'), 60)}]({a.url})"
        for a in reply.attachments
    )
    pieces = _pieces(reply.body, FIELD_VALUE_LIMIT - len(header), FIELD_VALUE_LIMIT)
    fields = []
    for index, piece in enumerate(pieces):
        name = (
            label
            if index == 0
            else t._(
                "{label} (continued {part}/{parts})",
                label=label,
                part=index + 1,
                parts=len(pieces),
            )
        )
        fields.append((name, (header if index == 0 else "") + piece))
    if files:
        name, value = fields[-1]
        if len(value) + len(files) <= FIELD_VALUE_LIMIT:
            fields[-1] = (name, value + files)
        else:
            name = t._("{label} (files)", label=label)
            fields.append((name, clip(files.strip(), FIELD_VALUE_LIMIT)))
    return fields


def note_fields(note: StaffNote, number: int, count: int, t: Speech) -> list[tuple[str, str]]:
    """A staff note as embed fields, marked as staff-only in every field's name."""
    label = t._("🔒 Staff note {number} of {count} · staff only", number=number, count=count)
    header = f"<@{note.author_id}> · {when(note.created_at)}\n"
    pieces = _pieces(note.body, FIELD_VALUE_LIMIT - len(header), FIELD_VALUE_LIMIT)
    return [
        (
            label if index == 0 else t._("{label} (continued)", label=label),
            (header if index == 0 else "") + piece,
        )
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
    ticket: Ticket,
    replies: Page[Reply],
    t: Speech,
    notes: Sequence[StaffNote] = (),
    people: Sequence[Participant] = (),
) -> list[discord.Embed]:
    """One page of replies as one embed or more (each within Discord's 6,000 characters);
    the ticket's facts head every one, so each part reads on its own.

    `notes` (staff views only, first page only) come before the conversation, each field
    marked as a staff-only note. `people`: who was added to the ticket, among the facts.
    """
    title = clip(t._("Ticket {ref}: {subject}", ref=ticket.ref, subject=shown(ticket.subject)), 256)
    facts = ticket_lines(ticket, t)
    if people:
        facts += "\n" + people_line(people, t)
    facts += "\n\n**" + t._("Conversation") + "**"
    footer = t.ngettext(
        "Replies page {page} of {pages} · {count} message",
        "Replies page {page} of {pages} · {count} messages",
        replies.total,
        page=t.number(replies.page + 1),
        pages=t.number(replies.page_count),
        count=t.number(replies.total),
    )
    # Room for the parts' own words (" · part 10 of 10", longer in some languages).
    room = EMBED_TOTAL_LIMIT - len(title) - len(facts) - len(footer) - 40
    first_number = replies.page * replies.page_size + 1
    parts: list[list[tuple[str, str]]] = [[]]
    used = 0
    entries = [f for n, note in enumerate(notes, 1) for f in note_fields(note, n, len(notes), t)]
    for offset, reply in enumerate(replies.items):
        entries += reply_fields(reply, first_number + offset, t)
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
            description=facts if fields else facts + "\n" + t._("No replies yet."),
            colour=COLOUR_OPEN,
        )
        for name, value in fields:
            embed.add_field(name=name, value=value, inline=False)
        if len(parts) > 1:
            footer_text = t._(
                "{footer} · part {part} of {parts}",
                footer=footer,
                part=index + 1,
                parts=len(parts),
            )
        else:
            footer_text = footer
        embed.set_footer(text=footer_text)
        embeds.append(embed)
    return embeds


def duration(seconds: float | None, t: Speech) -> str:
    if seconds is None:
        return t._("no responses yet")
    return t.duration(seconds)


def stats_embed(stats: TicketStats, t: Speech) -> discord.Embed:
    embed = discord.Embed(title=t._("Ticket statistics"), colour=COLOUR_OPEN)

    def counts(items: dict) -> str:
        # SPEC §7's lines (`open: 3`), read by tools: English words, plain digits.
        return "\n".join(f"{key.value}: {count}" for key, count in items.items())

    embed.add_field(name=t._("By status"), value=counts(stats.by_status))
    embed.add_field(name=t._("By department"), value=counts(stats.by_department))
    embed.add_field(name=t._("By priority"), value=counts(stats.by_priority))
    embed.add_field(
        name=t._("Median first response"),
        value=duration(stats.median_first_response_seconds, t),
        inline=False,
    )
    if stats.ratings_count:
        embed.add_field(
            name=t._("Feedback"),
            value=t.ngettext(
                "{average} / 5 from {count} rating",
                "{average} / 5 from {count} ratings",
                stats.ratings_count,
                average=t.number(stats.average_rating or 0, 1),
                count=t.number(stats.ratings_count),
            ),
            inline=False,
        )
    if stats.opened_outside_hours:
        embed.add_field(
            name=t._("Support hours"),
            # TRANSLATORS: tickets counted; a form with no plural agreement reads best.
            value=t._(
                "{count} opened outside support hours", count=t.number(stats.opened_outside_hours)
            ),
            inline=False,
        )
    embed.set_footer(
        text=t.ngettext(
            "{count} ticket in all",
            "{count} tickets in all",
            stats.total,
            count=t.number(stats.total),
        )
    )
    return embed


def thread_name(ticket: Ticket) -> str:
    """A safe thread name: the id first, no mention syntax, within Discord's 100 chars."""
    cleaned = "".join(ch for ch in ticket.subject if ch not in "@<>#`*_~|\\" and ch.isprintable())
    return clip(f"{ticket.ref} {' '.join(cleaned.split())}".strip(), 100)
