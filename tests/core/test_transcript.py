"""Transcripts: self-contained, escaped, and within Discord's upload size at any length."""

from __future__ import annotations

import base64
import gzip
import random
from datetime import UTC, datetime

from core.models import AuthorKind, Department, Priority, Reply, Status, Ticket
from core.transcript import UPLOAD_LIMIT, render_html, render_text, transcript_uploads

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def ticket(**changes) -> Ticket:
    values = dict(
        id=7,
        guild_id=1,
        owner_id=2,
        subject="<b>Printer</b>",
        message="m",
        status=Status.CLOSED,
        priority=Priority.HIGH,
        department=Department.BILLING,
        thread_id=3,
        claimed_by=None,
        ai_active=False,
        ai_replies=0,
        first_response_seconds=None,
        created_at=NOW,
        updated_at=NOW,
        status_changed_at=NOW,
        reminded_at=None,
        closed_at=NOW,
        closed_by=5,
        close_reason="done & dusted",
    )
    return Ticket(**(values | changes))


def reply(n: int, body: str, kind: AuthorKind = AuthorKind.MEMBER) -> Reply:
    return Reply(
        id=n,
        ticket_id=7,
        author_id=2,
        author_kind=kind,
        body=body,
        message_id=1000 + n,
        created_at=NOW,
        edited_at=None,
    )


def test_html_escapes_member_text_and_shows_kinds():
    replies = [
        reply(1, "<script>alert(1)</script>"),
        reply(2, "Try this", AuthorKind.STAFF),
        reply(3, "An idea", AuthorKind.AI),
    ]
    page = render_html(ticket(), replies).decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Printer&lt;/b&gt;" in page and "done &amp; dusted" in page
    assert "AI answer" in page and "staff" in page and "http" not in page.split("<body>")[0]
    text = render_text(ticket(), replies).decode()
    assert "Status: closed" in text and "<script>alert(1)</script>" in text


def test_ordinary_transcript_is_one_message_of_html_and_text():
    uploads = transcript_uploads(ticket(), [reply(n, "hello") for n in range(50)])
    assert [[name for name, _ in group] for group in uploads] == [["ticket-7.html", "ticket-7.txt"]]


def test_ten_thousand_long_replies_fit_discord_uploads():
    # Natural text repeats itself; a rotating slice of a paragraph stands in for it.
    paragraph = " ".join(["printer toner paper jam restart driver cable thanks"] * 100)
    replies = [reply(n, paragraph[n % 97 : n % 97 + 4000]) for n in range(10_000)]
    uploads = transcript_uploads(ticket(), replies)
    for group in uploads:
        assert sum(len(data) for _, data in group) <= UPLOAD_LIMIT
        assert all(name.endswith(".gz") for name, _ in group)
    restored = b"".join(
        gzip.decompress(data)
        for group in uploads
        for name, data in group
        if name.endswith(".txt.gz")
    )
    assert restored.count(b"(member):") == 10_000


def test_incompressible_text_is_split_into_parts_of_whole_replies():
    rng = random.Random(1)
    replies = [reply(n, base64.b64encode(rng.randbytes(3000)).decode()) for n in range(300)]
    uploads = transcript_uploads(ticket(), replies, limit=400_000)
    assert len(uploads) > 1
    names = [name for group in uploads for name, _ in group]
    assert names[0] == f"ticket-7-part1-of-{len(uploads)}.html.gz"
    for group in uploads:
        assert sum(len(data) for _, data in group) <= 400_000
    texts = [gzip.decompress(d) for group in uploads for n, d in group if n.endswith(".txt.gz")]
    assert sum(t.count(b"(member):") for t in texts) == 300
