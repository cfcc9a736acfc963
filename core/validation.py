"""Input rules shared by every front end. Each refusal names the field and the rule."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from core.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

SUBJECT_MAX = 100
MESSAGE_MAX = 4000
REASON_MAX = 500

# Unicode's control characters (category Cc) are exactly U+0000-U+001F and U+007F-U+009F,
# a set the standard never changes; a regex finds one in C instead of a per-character
# unicodedata call (a quarter of the event loop's time in a burst of creates).
# tests/core/test_validation_properties.py checks these against unicodedata.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_NEWLINE_AND_TAB = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_nul(text: str) -> str:
    """Member text without NUL (U+0000) characters: PostgreSQL's text and jsonb cannot
    hold one (SQLite can), and Discord shows nothing for it. Every piece of member text
    passes here before it is stored, so both backends keep the same text; the rest of the
    text is kept (a pasted fragment of a binary file still opens its ticket)."""
    return text.replace("\x00", "")


def clean_text(field: str, value: object, *, max_length: int, multiline: bool) -> str:
    """Trim and check a member's text; the text itself is kept exactly otherwise (NUL
    characters aside: `without_nul`)."""
    if not isinstance(value, str):
        raise InvalidInput(field, "input.not_text")
    text = without_nul(value).replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(field, "input.empty")
    if len(text) > max_length:
        raise InvalidInput(field, "input.too_long", max=max_length, length=len(text))
    controls = _CONTROLS_BUT_NEWLINE_AND_TAB if multiline else _CONTROLS
    if controls.search(text):
        raise InvalidInput(field, "input.control_characters" if multiline else "input.one_line")
    return text


def parse_choice(field: str, value: object, enum: type[E], default: E) -> E:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        for member in enum:
            if value.strip().casefold() == member.value.casefold():
                return member
    raise InvalidInput(field, "input.one_of", choices=[m.value for m in enum])


# SQLite integers are 64-bit: no row of ours has a bigger id, and binding a bigger Python
# int raises OverflowError. Services treat ids outside 1..ROW_ID_MAX as not found.
ROW_ID_MAX = 2**63 - 1
# More digits than any id can have; longer "numbers" are refused as not numbers at all
# (Python's int() also gives up on very long digit strings).
ID_DIGITS_MAX = 25


def id_digits(text: str) -> int | None:
    """`text` as a number if it is plain ASCII digits, else None.

    `str.isdigit()` is not enough: '²' is a digit to it but not to int(), and '١' (Arabic-
    Indic one) is a digit to both, so a lenient parse would crash or quietly mean ticket 1.
    """
    if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS_MAX:
        return int(text)
    return None


def is_row_id(value: int) -> bool:
    return 0 < value <= ROW_ID_MAX


# Pages past this are empty anyway; the bound keeps `page * page_size` inside SQLite's range.
PAGE_MAX = 1_000_000


def clamp_page(page: int) -> int:
    return min(max(0, page), PAGE_MAX)


def parse_ticket_id(value: object) -> int:
    """A ticket number a person typed; a number no ticket can have is left to the service,
    which answers "not found" like for any other unknown ticket."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput("ticket_id", "ticket.id_not_a_number")
    number = id_digits(str(value).strip().removeprefix("#"))
    if number is None or number <= 0:
        raise InvalidInput("ticket_id", "ticket.id_invalid", value=f"{value!s:.20}")
    return number
