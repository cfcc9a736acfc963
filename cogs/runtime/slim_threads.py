"""Memory: discord.py keeps every live thread it is told about, and a desk's live threads
are its open tickets: 50,000 for 1,000 servers with 50 open tickets each, ~800 bytes each.

Some of what each thread holds is the same value over and over: its (empty) forum tags,
its parent channel's id, its owner's id (the bot, for every ticket thread it opens), its
auto-archive duration, and its archive time (its creation time until it is first archived).
discord.py parses a fresh copy of each per thread; here each thread keeps the copy already
held by another one (or by itself), ~170-220 bytes a thread (~10 MB for 50,000).
Values are only shared, never changed: the thread reads and compares the same numbers.

The canary in tests/test_seams.py fails if discord.py stops parsing threads this way.
"""

from __future__ import annotations

import array
from typing import Any

from discord.threads import Thread

# discord.py never changes a thread's tag array in place: it assigns a new one on update.
_NO_TAGS: array.array[int] = array.array("Q")
# Ids seen as parents, owners and durations; bounded so a huge bot can't grow it forever
# (past the bound, values are simply not shared).
_SHARED_LIMIT = 100_000
_shared: dict[int, int] = {}
_ORIGINAL_FROM_DATA = Thread._from_data


def _one_copy(value: Any) -> Any:
    if type(value) is not int:
        return value
    kept = _shared.get(value)
    if kept is not None:
        return kept
    if len(_shared) < _SHARED_LIMIT:
        _shared[value] = value
    return value


def _slim_from_data(self: Thread, data: Any) -> None:
    _ORIGINAL_FROM_DATA(self, data)
    if not self._applied_tags:
        self._applied_tags = _NO_TAGS
    self.parent_id = _one_copy(self.parent_id)
    self.owner_id = _one_copy(self.owner_id)
    self.auto_archive_duration = _one_copy(self.auto_archive_duration)
    if self.archive_timestamp == self._created_at:
        self.archive_timestamp = self._created_at


def share_thread_values() -> None:
    """Once, before the bot connects."""
    Thread._from_data = _slim_from_data  # type: ignore[method-assign]
