"""AI-assisted replies (SPEC §4): build the conversation and stream an answer.

The ticket service talks to an `AIResponder`; `OpenAIResponder` is the one that calls any
OpenAI-compatible Chat Completions endpoint. Every failure comes out as `AIUnavailable`
with a short reason that is safe to log, so the caller has one thing to handle: keep the
ticket, ping staff, tell the member a human will answer.

The member's text only ever travels as `user` content. The system prompt holds our rules,
the department's note and the admin's reference material, never anything a member wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from i18n import language_name
from prompts.loader import load_prompt, render

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_END = object()


class AITurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["member", "staff", "ai"]
    text: str


class AIRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    first_message: str
    department: str
    turns: tuple[AITurn, ...] = ()
    knowledge: str | None = None
    # The member's language (a locale code such as "de"): the answer is written in it.
    language: str | None = None
    mode: Literal["answer", "suggest"] = "answer"


class AIUnavailable(Exception):
    """The AI could not answer. `reason` is a fixed phrase: it never holds the API key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AIResponder(Protocol):
    def stream(self, request: AIRequest) -> AsyncIterator[str]:
        """Yield the answer as text deltas; raise AIUnavailable when there is no answer."""
        ...


# -- the conversation ------------------------------------------------------------------


def build_messages(request: AIRequest, *, context_budget_chars: int = 12000) -> list[dict]:
    """Chat Completions messages for `request`, within roughly `context_budget_chars`.

    The system prompt, the ticket opening and the newest turn are always sent; older turns
    are dropped first (as one contiguous block, so the model never sees a conversation
    with holes in it) and a short note says how many were left out.
    """
    system = {"role": "system", "content": _system_prompt(request)}
    opening = {
        "role": "user",
        "content": f"Ticket subject: {request.subject}\n\n{request.first_message}",
    }
    turns = [_turn_message(turn) for turn in request.turns]

    used = len(system["content"]) + len(opening["content"])
    kept: list[dict[str, str]] = []
    for message in reversed(turns):
        size = len(message["content"])
        if kept and used + size > context_budget_chars:
            break
        kept.append(message)
        used += size
    kept.reverse()

    messages = [system, opening]
    if dropped := len(turns) - len(kept):
        log.debug("AI context: left out %s older turns to fit the budget", dropped)
        note = f"({dropped} earlier messages in this ticket are left out for length.)"
        messages.append({"role": "user", "content": note})
    return messages + kept


def _system_prompt(request: AIRequest) -> str:
    parts = [render(load_prompt("system"), department=request.department)]
    if request.mode == "suggest":
        parts.append(load_prompt("suggest"))
    if note := _department_note(request.department):
        parts.append(note)
    if request.knowledge and request.knowledge.strip():
        parts.append(render(load_prompt("knowledge"), knowledge=request.knowledge.strip()))
    if request.language:
        parts.append(render(load_prompt("language"), language=language_name(request.language)))
    return "\n\n".join(parts)


def _department_note(department: str) -> str | None:
    # "Technical Support" -> prompts/departments/technical_support.txt
    slug = re.sub(r"[^a-z0-9]+", "_", department.lower()).strip("_")
    try:
        return load_prompt(f"departments/{slug}")
    except (FileNotFoundError, ValueError):
        log.debug("No prompt note for department %r", department)
        return None


def _turn_message(turn: AITurn) -> dict[str, str]:
    if turn.role == "member":
        return {"role": "user", "content": turn.text}
    if turn.role == "staff":
        # Staff replies are the desk's side of the conversation, but the model must know
        # a human said it (and not take it for its own earlier answer).
        return {"role": "assistant", "content": f"[Reply from a human staff member]\n{turn.text}"}
    return {"role": "assistant", "content": turn.text}


# -- the OpenAI-compatible responder ---------------------------------------------------


class OpenAIResponder:
    """Streams answers from a Chat Completions endpoint (OpenAI, Azure, Ollama, vLLM...).

    `timeout` bounds each HTTP attempt and also the whole answer, retries included, so a
    server that hangs or trickles cannot keep a member waiting longer than that.
    """

    def __init__(
        self, *, api_key: str, model: str, base_url: str | None, max_tokens: int, timeout: float
    ) -> None:
        self._model = model
        self._max_tokens = max_tokens
        self._timeout = timeout
        # Imported here: the client costs most of a second at start-up, and a desk
        # without AI settings never needs it.
        import openai

        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=2
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def ping(self) -> None:
        """One tiny request the way answers are asked for (streamed, same model and
        limits), for `python bot.py --check`; raises AIUnavailable when it fails."""
        deadline = asyncio.get_running_loop().time() + self._timeout
        chunks = await _within(
            deadline,
            self._client.chat.completions.create(
                model=self._model,
                messages=[{"role": "user", "content": "Reply with the word OK."}],
                max_tokens=self._max_tokens,
                stream=True,
            ),
        )
        try:
            # The first chunk is proof enough that key, model and streaming all work.
            if await _within(deadline, anext(aiter(chunks), _END)) is _END:
                raise _unavailable("empty answer")
        finally:
            with contextlib.suppress(Exception):
                await chunks.close()

    async def stream(self, request: AIRequest) -> AsyncIterator[str]:
        # The deadline is checked only while we await the server, never around a `yield`:
        # a timeout spanning a yield would cancel the consumer's own code instead.
        deadline = asyncio.get_running_loop().time() + self._timeout
        chunks = await _within(
            deadline,
            self._client.chat.completions.create(
                model=self._model,
                messages=build_messages(request),  # type: ignore[arg-type]
                max_tokens=self._max_tokens,
                stream=True,
            ),
        )
        try:
            # Leading whitespace is held back so an all-blank answer never reaches the
            # member before it turns out to be "empty answer".
            pending = ""
            answered = False
            finish_reason: str | None = None
            iterator = aiter(chunks)
            while (chunk := await _within(deadline, anext(iterator, _END))) is not _END:
                delta, finish = _delta(chunk)
                finish_reason = finish or finish_reason
                if answered:
                    if delta:
                        yield delta
                    continue
                pending += delta
                if pending.strip():
                    answered = True
                    yield pending
            if not answered:
                raise _unavailable("empty answer")
            if finish_reason is None:
                log.warning("AI stream ended without a finish_reason; the answer may be cut")
            elif finish_reason == "length":
                log.info("AI answer stopped at max_tokens=%s", self._max_tokens)
        finally:
            with contextlib.suppress(Exception):
                await chunks.close()


async def _within(deadline: float, awaitable: Awaitable[_T]) -> _T:
    try:
        async with asyncio.timeout_at(deadline):
            return await awaitable
    except Exception as exc:
        raise _unavailable(_reason(exc), exc) from None


def _delta(chunk: Any) -> tuple[str, str | None]:
    # Some servers send chunks without choices (usage, keep-alives); they carry no text.
    if not chunk.choices:
        return "", None
    choice = chunk.choices[0]
    return (choice.delta.content or "") if choice.delta else "", choice.finish_reason


def _unavailable(reason: str, exc: BaseException | None = None) -> AIUnavailable:
    # `from None` at the raise sites and only the class name here: provider error bodies
    # can echo the key ("Incorrect API key provided: sk-..."), so their text stays out.
    if exc is None:
        log.warning("AI answer unavailable: %s", reason)
    elif reason == "unexpected error":
        # A bug rather than the provider: the traceback is worth having.
        log.error("AI answer unavailable: unexpected %s", type(exc).__name__, exc_info=exc)
    else:
        log.warning("AI answer unavailable: %s (%s)", reason, type(exc).__name__)
    return AIUnavailable(reason)


def _reason(exc: BaseException) -> str:
    import openai  # already loaded by the client that raised

    if isinstance(exc, TimeoutError | openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.RateLimitError):
        return "rate limited"
    if isinstance(exc, openai.AuthenticationError):
        return "authentication failed"
    if isinstance(exc, openai.PermissionDeniedError):
        return "permission denied"
    if isinstance(exc, openai.NotFoundError):
        return "model or endpoint not found"
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        return f"server error {status}" if status >= 500 else f"request rejected {status}"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    if isinstance(exc, openai.OpenAIError):
        return "api error"
    # openai 1.x lets read errors from httpx escape a stream (3.x wraps them); match by
    # module so this works with either without importing the HTTP library.
    if type(exc).__module__.partition(".")[0] in ("httpx", "httpx2", "httpcore"):
        return "timeout" if "Timeout" in type(exc).__name__ else "connection failed"
    return "unexpected error"
