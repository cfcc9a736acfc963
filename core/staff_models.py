"""Models of the staff tools (SPEC §12): canned replies (tags), staff-only notes, blocks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from core.models import Frozen


class Tag(Frozen):
    """A canned reply of one server. Names are unique per server, compared casefolded
    (`tag_key`), and shown as the admin typed them."""

    id: int
    guild_id: int
    name: str
    content: str
    created_by: int
    created_at: datetime
    updated_by: int
    updated_at: datetime


def tag_key(name: str) -> str:
    """What two tag names must differ in: "Refund" and "refund" are one tag."""
    return name.casefold()


class StaffNote(Frozen):
    """A note staff keep on a ticket. Never a reply: not in the thread, not in anything
    the member sees, not in what the AI is sent."""

    id: int
    ticket_id: int
    author_id: int
    body: str
    created_at: datetime


class BlockKind(StrEnum):
    MEMBER = "member"
    ROLE = "role"


class Block(Frozen):
    """A member, or everyone holding a role, who may not open tickets or submit forms."""

    guild_id: int
    kind: BlockKind
    target_id: int
    reason: str | None
    blocked_by: int
    created_at: datetime
