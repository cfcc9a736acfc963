"""Numbers carried in custom_ids, matched loosely and read strictly.

A template matches any text where a number belongs, so a click carrying a mangled id ('²',
'١', a number past SQLite's 64-bit range) still reaches its button and gets the usual
refusal ("Ticket #0 was not found") instead of being dropped unanswered by discord.py or
crashing int(). Only plain ASCII digits are ever read as a number.
"""

from __future__ import annotations

from core.validation import PAGE_MAX, id_digits

# One custom_id segment (custom_ids are at most 100 characters, ':' separates segments).
ANY = r"[^:]{1,100}"
# No row has id 0: a mangled id reads as 0, and the service answers "not found".
NO_ID = 0


def id_in(text: str) -> int:
    number = id_digits(text)
    return NO_ID if number is None else number


def page_in(text: str) -> int:
    number = id_digits(text)
    return 0 if number is None else min(number, PAGE_MAX)
