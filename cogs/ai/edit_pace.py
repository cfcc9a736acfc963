"""How often a streamed AI answer may edit its message: Discord allows 5 edits per 5 s in
one channel, and the edit that shows the whole answer must never wait for that budget.

So the edits made while the answer is still arriving keep one edit of the budget free
(`reserve`): at most 4 in any 5 s, whatever the answer's length. The final edit then always
finds room and goes out the moment the stream ends; it waits only when something else
already spent the budget (never, from this cog alone). Windows are counted slightly longer
than Discord's so that clock drift between us and Discord can't make a fifth edit look early.
"""

from __future__ import annotations

from collections import deque

EDITS_PER_WINDOW = 5
WINDOW_SECONDS = 5.0
MARGIN_SECONDS = 0.25


class EditPace:
    """The edits one channel made recently; times on one monotonic clock."""

    def __init__(
        self,
        limit: int = EDITS_PER_WINDOW,
        window: float = WINDOW_SECONDS + MARGIN_SECONDS,
        reserve: int = 1,
    ) -> None:
        self.limit = limit
        self.window = window
        self.reserve = reserve
        self._edits: deque[float] = deque()

    def _forget_old(self, now: float) -> None:
        while self._edits and now - self._edits[0] >= self.window:
            self._edits.popleft()

    def may_refresh(self, now: float) -> bool:
        """Whether an edit mid-answer fits and still leaves the final edit its room."""
        self._forget_old(now)
        return len(self._edits) < self.limit - self.reserve

    def wait_before_final(self, now: float) -> float:
        """Seconds the final edit must wait (0 unless the budget was spent elsewhere)."""
        self._forget_old(now)
        if len(self._edits) < self.limit:
            return 0.0
        return self._edits[len(self._edits) - self.limit] + self.window - now

    def note(self, now: float) -> None:
        self._edits.append(now)

    def idle(self, now: float) -> bool:
        self._forget_old(now)
        return not self._edits


class EditPaces:
    """One EditPace per channel, dropped once its window has passed."""

    def __init__(self) -> None:
        self._paces: dict[int, EditPace] = {}

    def of(self, channel_id: int, now: float) -> EditPace:
        for stale in [cid for cid, pace in self._paces.items() if pace.idle(now)]:
            if stale != channel_id:
                del self._paces[stale]
        return self._paces.setdefault(channel_id, EditPace())
