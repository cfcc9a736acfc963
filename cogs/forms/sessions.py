"""A member's answers while they fill in a form over several modals.

Discord forbids answering a modal submit with another modal, so a long form is asked page
by page with a button in between; the answers so far live here, in memory, keyed by
(member, form). Nothing is stored in the database until the last page is submitted, so an
abandoned form never counts against the member's limit; it simply expires.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.form_models import Form
from core.form_schema import Question

# The default of the FORM_SESSION_SECONDS setting. End-to-end tests shorten it to watch a
# session run out in real time (it is measured on the monotonic clock, which the tests'
# offset clock cannot move).
SESSION_TTL_SECONDS = 30 * 60.0
# While a page is open the member may be typing a long answer: time spent there does not
# count against SESSION_TTL_SECONDS, up to this bound (a page closed unsent is forgotten).
TYPING_TTL_SECONDS = 24 * 60 * 60
PAGE_SIZE = 5  # Discord modals hold at most 5 top-level components


def paginate(questions: tuple[Question, ...]) -> list[tuple[Question, ...]]:
    return [questions[i : i + PAGE_SIZE] for i in range(0, len(questions), PAGE_SIZE)]


@dataclass
class FormSession:
    user_id: int
    form: Form
    touched: float
    # question id -> what the member gave, as given (bad values too, so they can edit them)
    answers: dict[str, Any] = field(default_factory=dict)
    # pages still to ask, in order; a page with a bad answer goes back to the front
    queue: list[int] = field(default_factory=list)
    # a page's modal is open in front of the member (shown, not yet submitted)
    typing: bool = False

    @property
    def pages(self) -> list[tuple[Question, ...]]:
        return paginate(self.form.questions)

    def page_of(self, question_id: str) -> int | None:
        for index, page in enumerate(self.pages):
            if any(question.id == question_id for question in page):
                return index
        return None

    def restart(self) -> None:
        self.queue = list(range(len(self.pages)))

    def ask_again(self, question_ids: list[str]) -> None:
        """Queue just the pages holding these questions (first one first)."""
        pages = {self.page_of(qid) for qid in question_ids}
        self.queue = sorted(p for p in pages if p is not None) or [0]


class SessionStore:
    """In-memory sessions with an expiry; lost on restart. A page submitted after its
    session is gone starts a new one (see FormFlow.page_submitted)."""

    def __init__(
        self,
        ttl: float = SESSION_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        typing_ttl: float = TYPING_TTL_SECONDS,
    ) -> None:
        self._ttl = ttl
        self._typing_ttl = max(ttl, typing_ttl)
        self._clock = clock
        self._sessions: dict[tuple[int, int], FormSession] = {}

    def _prune(self) -> None:
        now = self._clock()
        for key, session in list(self._sessions.items()):
            limit = self._typing_ttl if session.typing else self._ttl
            if now - session.touched > limit:
                del self._sessions[key]

    def get(self, user_id: int, form_id: int) -> FormSession | None:
        self._prune()
        session = self._sessions.get((user_id, form_id))
        if session is not None:
            session.touched = self._clock()
        return session

    def start(self, user_id: int, form: Form) -> FormSession:
        """A fresh pass over the form; answers of an unfinished earlier pass are kept as
        defaults, so nothing the member typed is lost."""
        self._prune()
        previous = self._sessions.get((user_id, form.id))
        session = FormSession(user_id=user_id, form=form, touched=self._clock())
        if previous is not None:
            known = {question.id for question in form.questions}
            session.answers = {k: v for k, v in previous.answers.items() if k in known}
        session.restart()
        self._sessions[(user_id, form.id)] = session
        return session

    def finish(self, user_id: int, form_id: int) -> None:
        self._sessions.pop((user_id, form_id), None)
