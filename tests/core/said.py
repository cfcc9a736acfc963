"""What a member reads for a refusal, for tests that check exact sentences.

Core words nothing (its errors carry a code and params); the Discord front end's catalogue,
`wording.catalogue`, turns them into SPEC §7's sentences. These helpers let the service
tests keep asserting those sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from core.errors import DomainError, Message
from wording.catalogue import error_text, say


def words(thing: DomainError | Message | None) -> str:
    """The sentence Discord shows for an error or a message ("" for None)."""
    if thing is None:
        return ""
    return error_text(thing) if isinstance(thing, DomainError) else say(thing)


@contextmanager
def raises_worded(
    kind: type[DomainError] = DomainError, match: str | None = None
) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """Like `pytest.raises(kind, match=...)`, matching the sentence a member reads."""
    with pytest.raises(kind) as caught:
        yield caught
    if match is not None:
        text = words(caught.value)
        assert re.search(match, text), f"{match!r} not in {text!r}"
