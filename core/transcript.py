"""Transcripts from the database (never from Discord's history): HTML and plain text.

The HTML is one self-contained file, readable offline, with every member-written string
escaped. Large conversations are gzip-friendly text, and stay small because nothing
is inlined but a short stylesheet.
"""

from __future__ import annotations

import gzip
import html
from collections.abc import Sequence

from core.models import AuthorKind, Reply, Ticket
from core.staff_models import StaffNote

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.4em}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
dt{font-weight:600}.r{border-left:4px solid #ccc;padding:.3em .8em;margin:.8em 0}
.member{border-color:#5865f2}.staff{border-color:#3ba55d}.ai{border-color:#faa61a}
.system{border-color:#999;color:#555}.meta{font-size:.85em;color:#666}
.body{white-space:pre-wrap;word-wrap:break-word}
.note{border-color:#ed4245;background:#fff4f4}
"""

KIND_NAMES = {
    AuthorKind.MEMBER: "member",
    AuthorKind.STAFF: "staff",
    AuthorKind.AI: "AI answer",
    AuthorKind.SYSTEM: "system",
}


def _stamp(reply_or_ticket_time) -> str:
    return reply_or_ticket_time.strftime("%Y-%m-%d %H:%M:%S UTC")


def _author(reply: Reply) -> str:
    return "System" if reply.author_kind is AuthorKind.SYSTEM else f"user {reply.author_id}"


# Staff notes are only ever in the staff transcript (the log channel), under this heading.
NOTES_HEADING = "Staff notes (staff only: never shown to the member)"


def render_html(ticket: Ticket, replies: Sequence[Reply], notes: Sequence[StaffNote] = ()) -> bytes:
    e = html.escape
    facts = [
        ("Status", ticket.status.value),
        ("Priority", ticket.priority.value),
        ("Department", ticket.department.value),
        ("Owner", f"user {ticket.owner_id}"),
        ("Opened", _stamp(ticket.created_at)),
    ]
    if ticket.closed_at:
        facts.append(("Closed", _stamp(ticket.closed_at)))
    if ticket.close_reason:
        facts.append(("Close reason", ticket.close_reason))
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f"<title>Ticket #{ticket.id}: {e(ticket.subject)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Ticket #{ticket.id}: {e(ticket.subject)}</h1><dl>",
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts),
        f"</dl><p class=meta>{len(replies)} messages</p>",
    ]
    for reply in replies:
        kind = reply.author_kind.value
        edited = " (edited)" if reply.edited_at else ""
        files = "".join(
            f'<div>📎 <a href="{e(a.url)}">{e(a.filename)}</a></div>' for a in reply.attachments
        )
        parts.append(
            f'<div class="r {kind}"><div class=meta>{e(_author(reply))} · '
            f"{KIND_NAMES[reply.author_kind]} · {_stamp(reply.created_at)}{edited}</div>"
            f"<div class=body>{e(reply.body)}</div>{files}</div>"
        )
    if notes:
        parts.append(f"<h2>{e(NOTES_HEADING)}</h2>")
        parts.extend(
            f'<div class="r note"><div class=meta>user {note.author_id} · staff note · '
            f"{_stamp(note.created_at)}</div><div class=body>{e(note.body)}</div></div>"
            for note in notes
        )
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def render_text(ticket: Ticket, replies: Sequence[Reply], notes: Sequence[StaffNote] = ()) -> bytes:
    lines = [
        f"Ticket #{ticket.id}: {ticket.subject}",
        f"Status: {ticket.status.value}",
        f"Priority: {ticket.priority.value}",
        f"Department: {ticket.department.value}",
        f"Owner: user {ticket.owner_id}",
        f"Opened: {_stamp(ticket.created_at)}",
    ]
    if ticket.close_reason:
        lines.append(f"Close reason: {ticket.close_reason}")
    lines.append("")
    for reply in replies:
        edited = " (edited)" if reply.edited_at else ""
        lines.append(
            f"[{_stamp(reply.created_at)}] {_author(reply)} ({KIND_NAMES[reply.author_kind]}){edited}:"
        )
        lines.extend(f"  {line}" for line in reply.body.splitlines() or [""])
        lines.extend(f"  attachment: {a.filename} <{a.url}>" for a in reply.attachments)
        lines.append("")
    if notes:
        lines += [f"== {NOTES_HEADING} ==", ""]
        for note in notes:
            lines.append(f"[{_stamp(note.created_at)}] user {note.author_id} (staff note):")
            lines.extend(f"  {line}" for line in note.body.splitlines() or [""])
            lines.append("")
    return "\n".join(lines).encode("utf-8")


# Discord lets a bot upload 10 MiB per message unless the server is boosted; keep margin.
UPLOAD_LIMIT = 8 * 1024 * 1024

TranscriptFile = tuple[str, bytes]


def _pair(
    ticket: Ticket, replies: Sequence[Reply], notes: Sequence[StaffNote] = ()
) -> list[TranscriptFile]:
    stem = f"ticket-{ticket.id}"
    return [
        (f"{stem}.html", render_html(ticket, replies, notes)),
        (f"{stem}.txt", render_text(ticket, replies, notes)),
    ]


def _gzipped(files: list[TranscriptFile]) -> list[TranscriptFile]:
    # mtime=0 keeps the bytes stable, so the same conversation gives the same file.
    return [(f"{name}.gz", gzip.compress(data, compresslevel=6, mtime=0)) for name, data in files]


def _size(files: list[TranscriptFile]) -> int:
    return sum(len(data) for _, data in files)


def _fitting_parts(
    ticket: Ticket,
    replies: Sequence[Reply],
    limit: int,
    packed: list[TranscriptFile],
    notes: Sequence[StaffNote] = (),
) -> list[list[TranscriptFile]]:
    """`packed` (these replies, gzipped) if it fits, else halves of whole replies, recursively.
    Staff notes, if any, go with the last part."""
    if len(replies) <= 1 or _size(packed) <= limit:
        return [packed]
    middle = len(replies) // 2
    first, second = replies[:middle], replies[middle:]
    return _fitting_parts(ticket, first, limit, _gzipped(_pair(ticket, first))) + _fitting_parts(
        ticket, second, limit, _gzipped(_pair(ticket, second, notes)), notes
    )


def _numbered(ticket: Ticket, parts: list[list[TranscriptFile]]) -> list[list[TranscriptFile]]:
    stem = f"ticket-{ticket.id}"
    return [
        [(name.replace(stem, f"{stem}-part{n}-of-{len(parts)}", 1), data) for name, data in part]
        for n, part in enumerate(parts, start=1)
    ]


def transcript_uploads(
    ticket: Ticket,
    replies: Sequence[Reply],
    *,
    notes: Sequence[StaffNote] = (),
    limit: int = UPLOAD_LIMIT,
) -> list[list[TranscriptFile]]:
    """The transcript as uploads that each fit in one Discord message.

    Normally one message with an .html and a .txt file. A very long conversation is
    gzipped (text shrinks several-fold and every browser and OS opens .gz), and if even
    that is too big it is split into numbered parts of whole replies.

    `notes` are staff notes: given only for the staff transcript (the log channel), never
    for anything the member gets.
    """
    plain = _pair(ticket, replies, notes)
    if _size(plain) <= limit:
        return [plain]
    parts = _fitting_parts(ticket, replies, limit, _gzipped(plain), notes)
    return parts if len(parts) == 1 else _numbered(ticket, parts)
