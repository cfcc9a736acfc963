"""Input rules shared by every front end. Each refusal names the field and the rule."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import TypeVar

from core.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

SUBJECT_MAX = 100
MESSAGE_MAX = 4000
REASON_MAX = 500

_ALLOWED_CONTROLS = {"\n", "\t"}


def _has_bad_controls(text: str, allowed: set[str]) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def clean_text(field: str, value: object, *, max_length: int, multiline: bool) -> str:
    """Trim and check a member's text; the text itself is kept exactly otherwise."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(field, "must not be empty")
    if len(text) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters (got {len(text)})")
    allowed = _ALLOWED_CONTROLS if multiline else set()
    if _has_bad_controls(text, allowed):
        rule = "must not contain control characters"
        raise InvalidInput(field, rule if multiline else f"must be one line and {rule}")
    return text


def parse_choice(field: str, value: object, enum: type[E], default: E) -> E:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        for member in enum:
            if value.strip().casefold() == member.value.casefold():
                return member
    choices = ", ".join(m.value for m in enum)
    raise InvalidInput(field, f"must be one of {choices}")


def parse_ticket_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput("ticket_id", "must be a ticket number like 42")
    text = str(value).strip().removeprefix("#")
    if not (text.isascii() and text.isdigit()) or int(text) <= 0:
        raise InvalidInput("ticket_id", f"{value!s:.20} is not a ticket number; use one like 42")
    return int(text)
