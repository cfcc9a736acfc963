"""Transcripts from the database (never from Discord's history): HTML and plain text.

The HTML is one self-contained file, readable offline, with every member-written string
escaped. Large conversations are gzip-friendly text, and stay small because nothing
is inlined but a short stylesheet. Labels and dates are in the language given (the
server's, for the log channel and the owner's DM); SPEC §7's words (`Status:`,
`Priority:`, `Department:`, their values, `#id`, "AI answer") stay English.
"""

from __future__ import annotations

import gzip
import html
from collections.abc import Sequence

from core.close_requests import NO_ANSWER
from core.models import AuthorKind, Reply, Ticket
from core.staff_models import StaffNote
from core.ticket_lifecycle import THREAD_GONE
from core.upkeep import NO_REPLY
from i18n import N_, NP_, Speech, speech

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
    AuthorKind.MEMBER: NP_("author", "member"),
    AuthorKind.STAFF: NP_("author", "staff"),
    AuthorKind.SYSTEM: NP_("author", "system"),
}
# The close reasons the desk writes itself (stored in English), shown translated.
DESK_REASONS = (NO_REPLY, THREAD_GONE, NO_ANSWER)


def _kind(reply: Reply, t: Speech) -> str:
    if reply.author_kind is AuthorKind.AI:
        return "AI answer"  # SPEC §7
    return t.pgettext("author", KIND_NAMES[reply.author_kind])


def _author(reply: Reply, t: Speech) -> str:
    if reply.author_kind is AuthorKind.SYSTEM:
        return t._("System")
    return t._("user {user_id}", user_id=reply.author_id)


def _reason(ticket: Ticket, t: Speech) -> str:
    reason = ticket.close_reason or ""
    return t._(reason) if reason in DESK_REASONS else reason


# Staff notes are only ever in the staff transcript (the log channel), under this heading.
NOTES_HEADING = N_("Staff notes (staff only: never shown to the member)")


def _note_meta(note: StaffNote, t: Speech) -> str:
    return t._(
        "user {user_id} · staff note · {when}",
        user_id=note.author_id,
        when=t.moment(note.created_at),
    )


def render_html(
    ticket: Ticket,
    replies: Sequence[Reply],
    notes: Sequence[StaffNote] = (),
    t: Speech | None = None,
) -> bytes:
    t = t or speech()
    e = html.escape
    facts = [
        ("Status", ticket.status.value),
        ("Priority", ticket.priority.value),
        ("Department", ticket.department.value),
        (t._("Owner"), t._("user {user_id}", user_id=ticket.owner_id)),
        (t._("Opened"), t.moment(ticket.created_at)),
    ]
    if ticket.closed_at:
        facts.append((t._("Closed"), t.moment(ticket.closed_at)))
    if ticket.close_reason:
        facts.append((t._("Close reason"), _reason(ticket, t)))
    title = t._("Ticket #{ticket_id}: {subject}", ticket_id=ticket.id, subject=e(ticket.subject))
    count = t.ngettext("{count} message", "{count} messages", len(replies))
    parts = [
        f"<!DOCTYPE html><html lang={e(t.locale)}><head><meta charset=utf-8>",
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1><dl>",
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts),
        f"</dl><p class=meta>{e(count)}</p>",
    ]
    for reply in replies:
        kind = reply.author_kind.value
        meta = f"{e(_author(reply, t))} · {e(_kind(reply, t))} · {e(t.moment(reply.created_at))}"
        if reply.edited_at:
            meta = t._("{meta} (edited)", meta=meta)
        files = "".join(
            f'<div>📎 <a href="{e(a.url)}">{e(a.filename)}</a></div>' for a in reply.attachments
        )
        parts.append(
            f'<div class="r {kind}"><div class=meta>{meta}</div>'
            f"<div class=body>{e(reply.body)}</div>{files}</div>"
        )
    if notes:
        parts.append(f"<h2>{e(t._(NOTES_HEADING))}</h2>")
        parts.extend(
            f'<div class="r note"><div class=meta>{e(_note_meta(note, t))}</div>'
            f"<div class=body>{e(note.body)}</div></div>"
            for note in notes
        )
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def render_text(
    ticket: Ticket,
    replies: Sequence[Reply],
    notes: Sequence[StaffNote] = (),
    t: Speech | None = None,
) -> bytes:
    t = t or speech()
    lines = [
        t._("Ticket #{ticket_id}: {subject}", ticket_id=ticket.id, subject=ticket.subject),
        f"Status: {ticket.status.value}",
        f"Priority: {ticket.priority.value}",
        f"Department: {ticket.department.value}",
        t._("Owner: user {user_id}", user_id=ticket.owner_id),
        t._("Opened: {when}", when=t.moment(ticket.created_at)),
    ]
    if ticket.close_reason:
        lines.append(t._("Close reason: {reason}", reason=_reason(ticket, t)))
    lines.append("")
    for reply in replies:
        head = f"[{t.moment(reply.created_at)}] {_author(reply, t)} ({_kind(reply, t)})"
        if reply.edited_at:
            head = t._("{meta} (edited)", meta=head)
        lines.append(f"{head}:")
        lines.extend(f"  {line}" for line in reply.body.splitlines() or [""])
        lines.extend(
            "  " + t._("attachment: {name} <{url}>", name=a.filename, url=a.url)
            for a in reply.attachments
        )
        lines.append("")
    if notes:
        lines += [f"== {t._(NOTES_HEADING)} ==", ""]
        for note in notes:
            head = t._("user {user_id} (staff note)", user_id=note.author_id)
            lines.append(f"[{t.moment(note.created_at)}] {head}:")
            lines.extend(f"  {line}" for line in note.body.splitlines() or [""])
            lines.append("")
    return "\n".join(lines).encode("utf-8")


# Discord lets a bot upload 10 MiB per message unless the server is boosted; keep margin.
UPLOAD_LIMIT = 8 * 1024 * 1024

TranscriptFile = tuple[str, bytes]


def _pair(
    ticket: Ticket, replies: Sequence[Reply], t: Speech, notes: Sequence[StaffNote] = ()
) -> list[TranscriptFile]:
    stem = f"ticket-{ticket.id}"
    return [
        (f"{stem}.html", render_html(ticket, replies, notes, t)),
        (f"{stem}.txt", render_text(ticket, replies, notes, t)),
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
    t: Speech,
    notes: Sequence[StaffNote] = (),
) -> list[list[TranscriptFile]]:
    """`packed` (these replies, gzipped) if it fits, else halves of whole replies, recursively.
    Staff notes, if any, go with the last part."""
    if len(replies) <= 1 or _size(packed) <= limit:
        return [packed]
    middle = len(replies) // 2
    first, second = replies[:middle], replies[middle:]
    return _fitting_parts(
        ticket, first, limit, _gzipped(_pair(ticket, first, t)), t
    ) + _fitting_parts(ticket, second, limit, _gzipped(_pair(ticket, second, t, notes)), t, notes)


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
    t: Speech | None = None,
) -> list[list[TranscriptFile]]:
    """The transcript as uploads that each fit in one Discord message.

    Normally one message with an .html and a .txt file. A very long conversation is
    gzipped (text shrinks several-fold and every browser and OS opens .gz), and if even
    that is too big it is split into numbered parts of whole replies.

    `notes` are staff notes: given only for the staff transcript (the log channel), never
    for anything the member gets.
    """
    t = t or speech()
    plain = _pair(ticket, replies, t, notes)
    if _size(plain) <= limit:
        return [plain]
    parts = _fitting_parts(ticket, replies, limit, _gzipped(plain), t, notes)
    return parts if len(parts) == 1 else _numbered(ticket, parts)
