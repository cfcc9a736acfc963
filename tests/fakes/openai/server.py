"""FakeOpenAI: a real HTTP server speaking enough of Chat Completions for the bot.

openai 3.x sends requests through `httpx2`, which respx cannot intercept, so the tests
talk to this server over loopback exactly as the bot talks to a real provider.

Each request takes the next step from a script (an answer or a failure); when the script
is empty it gets `default_answer`. Every request is recorded before it is answered, so a
test can assert on what the bot sent even when the answer is a failure or a hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import socket
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

log = logging.getLogger(__name__)

DEFAULT_ANSWER = "Here is an AI suggestion."

FailureKind = Literal["rate_limit", "server_error", "bad_key", "hang", "empty", "disconnect"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: CIMultiDictProxy[str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def bearer(self) -> str | None:
        """The API key sent as `Authorization: Bearer <key>`, or None."""
        value = self.headers.get("Authorization", "")
        return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None


@dataclass(frozen=True)
class _Answer:
    chunks: tuple[str, ...]
    delay: float
    finish_reason: str


@dataclass(frozen=True)
class _Failure:
    kind: FailureKind
    status: int
    retry_after: float | None


class FakeOpenAI:
    """An OpenAI-compatible server on a free loopback port.

        async with FakeOpenAI() as fake:
            fake.answer(["Hello", " there"], delay=0.01)  # streamed as two chunks
            fake.fail("rate_limit", times=3)              # then three 429s
            client = AsyncOpenAI(base_url=fake.base_url, api_key="k")

    If `api_key` is given, any other Bearer key gets a 401 like the real service.
    """

    def __init__(self, *, api_key: str | None = None, default_answer: str = DEFAULT_ANSWER) -> None:
        self.api_key = api_key
        self.default_answer = default_answer
        self.requests: list[RecordedRequest] = []
        self._steps: deque[_Answer | _Failure] = deque()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = asyncio.Event()
        self._arrived = asyncio.Condition()

    # -- scripting ---------------------------------------------------------------------

    def answer(
        self, text: str | Sequence[str], *, delay: float = 0.0, finish_reason: str = "stop"
    ) -> None:
        """Queue one answer. A list is streamed one element per chunk, `delay` apart."""
        chunks = (text,) if isinstance(text, str) else tuple(text)
        self._steps.append(_Answer(chunks, delay, finish_reason))

    def fail(
        self,
        kind: FailureKind,
        *,
        times: int = 1,
        status: int = 500,
        retry_after: float | None = 0.001,
    ) -> None:
        """Make the next `times` requests fail.

        rate_limit: 429; server_error: `status` (5xx); bad_key: 401 echoing the key the
        client sent (a leak test needs something to leak); hang: never answers until the
        server stops; empty: a well-formed answer with no content; disconnect: one chunk,
        then the connection is cut mid-stream.

        `retry_after` (seconds) is sent as `retry-after-ms` and `retry-after` on 429/5xx.
        The default is tiny because the openai client ignores `retry-after: 0` and falls
        back to a 0.5 s, 1 s ... backoff, which would make the suite slow.
        """
        for _ in range(times):
            self._steps.append(_Failure(kind, status, retry_after))

    def reset(self) -> None:
        """Forget the script and the recorded requests."""
        self._steps.clear()
        self.requests.clear()

    async def wait_for_requests(self, count: int, within: float = 5.0) -> list[RecordedRequest]:
        """Wait until at least `count` requests have arrived (no sleeps in tests)."""
        async with asyncio.timeout(within), self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)
        return list(self.requests)

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeOpenAI is not running; use `async with FakeOpenAI()`")
        return f"http://127.0.0.1:{self._port}/v1"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        # Bind the socket ourselves so the OS picks a free port and we can read it back.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        # Release hanging and slow handlers first, or cleanup waits for them.
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- the endpoint ------------------------------------------------------------------

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "invalid_request_error", "Request body is not JSON.")
        recorded = RecordedRequest(
            request.method, request.path, CIMultiDictProxy(CIMultiDict(request.headers)), body
        )
        async with self._arrived:
            self.requests.append(recorded)
            self._arrived.notify_all()

        sent_key = recorded.bearer
        if self.api_key is not None and sent_key != self.api_key:
            return _bad_key(sent_key)
        step = self._steps.popleft() if self._steps else None
        if step is None:
            step = _Answer((self.default_answer,), 0.0, "stop")
        if isinstance(step, _Failure):
            return await self._failure(request, step, body, sent_key)
        return await self._respond(request, body, step)

    async def _failure(
        self, request: web.Request, step: _Failure, body: dict[str, Any], sent_key: str | None
    ) -> web.StreamResponse:
        headers = {}
        if step.retry_after is not None:
            headers = {
                "retry-after-ms": str(round(step.retry_after * 1000)),
                "retry-after": str(int(step.retry_after)),
            }
        match step.kind:
            case "rate_limit":
                return _error(429, "rate_limit_exceeded", "Rate limit reached.", headers)
            case "server_error":
                return _error(step.status, "server_error", "The server had an error.", headers)
            case "bad_key":
                return _bad_key(sent_key)
            case "hang":
                await self._closing.wait()
                return _error(503, "server_error", "Shutting down.")
            case "empty":
                return await self._respond(request, body, _Answer((), 0.0, "stop"))
            case "disconnect":
                response = await self._start_stream(request)
                completion_id, model = self._identity(body)
                await _send(response, _chunk(completion_id, model, {"content": "Partial"}))
                # Cut the TCP connection without finishing the chunked body.
                if request.transport is not None:
                    request.transport.abort()
                return response

    async def _respond(
        self, request: web.Request, body: dict[str, Any], answer: _Answer
    ) -> web.StreamResponse:
        completion_id, model = self._identity(body)
        if not body.get("stream"):
            return web.json_response(_completion(completion_id, model, answer))

        response = await self._start_stream(request)
        await _send(response, _chunk(completion_id, model, {"role": "assistant", "content": ""}))
        for index, text in enumerate(answer.chunks):
            if index and answer.delay:
                await self._sleep(answer.delay)
            await _send(response, _chunk(completion_id, model, {"content": text}))
        await _send(response, _chunk(completion_id, model, {}, answer.finish_reason))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = _chunk(completion_id, model, None)
            usage["usage"] = _usage(answer)
            await _send(response, usage)
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    async def _start_stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        return response

    async def _sleep(self, seconds: float) -> None:
        # Wakes early when the server stops, so a slow answer never delays teardown.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _identity(self, body: dict[str, Any]) -> tuple[str, str]:
        return f"chatcmpl-fake-{next(self._ids)}", str(body.get("model", "fake-model"))


def _chunk(
    completion_id: str, model: str, delta: dict[str, Any] | None, finish: str | None = None
) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
    }


def _completion(completion_id: str, model: str, answer: _Answer) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "".join(answer.chunks)},
                "finish_reason": answer.finish_reason,
            }
        ],
        "usage": _usage(answer),
    }


def _usage(answer: _Answer) -> dict[str, int]:
    # Rough counts: nothing in the bot depends on real token numbers.
    completion_tokens = len("".join(answer.chunks).split())
    return {
        "prompt_tokens": 1,
        "completion_tokens": completion_tokens,
        "total_tokens": 1 + completion_tokens,
    }


async def _send(response: web.StreamResponse, payload: dict[str, Any]) -> None:
    await response.write(f"data: {json.dumps(payload)}\n\n".encode())


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": code, "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers)


def _bad_key(sent_key: str | None) -> web.Response:
    return _error(401, "invalid_api_key", f"Incorrect API key provided: {sent_key}.")
