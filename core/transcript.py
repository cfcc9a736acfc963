"""Transcripts from the database (never from Discord's history): HTML and plain text.

The HTML is one self-contained file, readable offline, with every member-written string
escaped. Large conversations are gzip-friendly text, and stay small because nothing
is inlined but a short stylesheet.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from core.models import AuthorKind, Reply, Ticket

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.4em}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
dt{font-weight:600}.r{border-left:4px solid #ccc;padding:.3em .8em;margin:.8em 0}
.member{border-color:#5865f2}.staff{border-color:#3ba55d}.ai{border-color:#faa61a}
.system{border-color:#999;color:#555}.meta{font-size:.85em;color:#666}
.body{white-space:pre-wrap;word-wrap:break-word}
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


def render_html(ticket: Ticket, replies: Sequence[Reply]) -> bytes:
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
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def render_text(ticket: Ticket, replies: Sequence[Reply]) -> bytes:
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
    return "\n".join(lines).encode("utf-8")
