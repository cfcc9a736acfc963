"""AI answer latency: the real bot streaming a model's answer into a ticket thread.

The real bot (`python bot.py`) runs against the tests' fake Discord and a local
OpenAI-compatible server (tests/fakes/openai) that streams every answer on a fixed schedule:
the first token `first_after` seconds after the request, then one token every `every`
seconds for `tokens` tokens. The fake Discord holds message edits to Discord's documented
pace, 5 edits per 5 seconds per channel, so the bot's own throttling is what is measured.

Two figures per answer, tickets opened one after another so that nothing else competes:
- first token sent by the server -> the first message or edit carrying answer text arrives
  at the fake Discord;
- last token sent -> the edit carrying the whole answer (with its footer) arrives.
Both are stamped in the same process, on the same clock, as the request reaches the fake's
middleware (before the fake's own work).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.stats import percentile
from tests.e2e.bot_process import BotProcess
from tests.e2e.helpers import open_ticket, set_up
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.driver import Desk
from tests.fakes.discord.server import Handler
from tests.fakes.openai import FakeOpenAI
from tests.fakes.openai.server import _Answer, _chunk, _send

API = "/api/v10"
EDIT_ROUTE = "/channels/{channel_id}/messages/{message_id}"
EDITS_PER_WINDOW, EDIT_WINDOW = 5, 5.0  # Discord: 5 message edits per 5 s per channel
FOOTER = "Written by an AI assistant"  # on the finished answer only (cogs/ai/stream.py)
KEY = "sk-bench-ai"
ANSWER_TIMEOUT = 60.0


@dataclass(frozen=True)
class Schedule:
    first_after: float  # seconds from the request to the first token
    every: float  # seconds between tokens
    tokens: int  # in the first answer
    # Each answer is this many tokens longer than the one before, so that the answers end
    # at every point of the bot's edit cadence, not always at the same one.
    longer_by: int = 3

    def words(self, answer: int) -> list[str]:
        return [f"w{n} " for n in range(self.tokens + answer * self.longer_by)]


@dataclass
class AIResult:
    schedule: Schedule
    first_text: list[float] = field(default_factory=list)  # first token -> first text seen
    final_edit: list[float] = field(default_factory=list)  # last token -> whole answer seen
    edits: int = 0  # message edits the bot sent while answering
    rate_limited: int = 0  # 429s the fake answered to those edits

    def first_text_p(self, q: float) -> float:
        return percentile(self.first_text, q)

    def final_edit_p(self, q: float) -> float:
        return percentile(self.final_edit, q)


class ScheduledModel(FakeOpenAI):
    """Streams every answer on `schedule`, noting when its first and last tokens leave."""

    def __init__(self, schedule: Schedule) -> None:
        super().__init__(api_key=KEY)
        self.schedule = schedule
        self.sent: list[tuple[float, float]] = []  # (first token, last token), per answer

    async def _respond(
        self, request: web.Request, body: dict[str, Any], answer: _Answer
    ) -> web.StreamResponse:
        if not body.get("stream"):
            return await super()._respond(request, body, answer)
        completion_id, model = self._identity(body)
        response = await self._start_stream(request)
        await _send(response, _chunk(completion_id, model, {"role": "assistant", "content": ""}))
        await self._sleep(self.schedule.first_after)
        first = last = 0.0
        for index, word in enumerate(self.schedule.words(len(self.sent))):
            if index:
                await self._sleep(self.schedule.every)
            await _send(response, _chunk(completion_id, model, {"content": word}))
            last = time.monotonic()
            first = first or last
        self.sent.append((first, last))
        await _send(response, _chunk(completion_id, model, {}, "stop"))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


class WatchedDiscord(FakeDiscord):
    """Notes every message the bot posts or edits: (arrival, channel id, edit?, content)."""

    def __init__(self) -> None:
        super().__init__(validate=False)
        self.seen: list[tuple[float, str, bool, str]] = []

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        now = time.monotonic()
        parts = request.path.removeprefix(API).split("/")
        posted = request.method == "POST" and len(parts) == 4 and parts[3] == "messages"
        edited = request.method == "PATCH" and len(parts) == 5 and parts[3] == "messages"
        if parts[1:2] == ["channels"] and (posted or edited):
            try:
                content = json.loads(await request.read() or b"{}").get("content") or ""
            except (ValueError, AttributeError):
                content = ""
            self.seen.append((now, parts[2], edited, content))
        return await super()._middleware(request, handler)


def _figures(fake: WatchedDiscord, thread_id: str, sent: tuple[float, float], words: list[str]):
    """(first token -> first text, last token -> whole answer), or None until both arrived."""
    first_sent, last_sent = sent
    mine = [(at, text) for at, channel, _, text in fake.seen if channel == thread_id]
    first_word, last_word = words[0].strip(), words[-1].strip()
    shown = next((at for at, text in mine if first_word in text and at >= first_sent), None)
    whole = next((at for at, text in mine if last_word in text and FOOTER in text), None)
    if shown is None or whole is None:
        return None
    return shown - first_sent, whole - last_sent


async def measure_ai(workdir: Path, quick: bool) -> AIResult:
    """Full: 8 answers of 5 s to 10.6 s (100 tokens 50 ms apart, each 16 tokens longer than
    the last: their ends fall all over the bot's 5 s edit cycle); quick: 2 short ones."""
    if quick:
        return await measure_answers(workdir, Schedule(0.2, 0.05, 20), 2)
    return await measure_answers(workdir, Schedule(0.5, 0.05, 100, longer_by=16), 8)


async def measure_answers(workdir: Path, schedule: Schedule, tickets: int) -> AIResult:
    fake = WatchedDiscord()
    # Discord's pace for edits in one channel; everything else keeps the fake's default.
    fake.rate_limits.limit("PATCH", EDIT_ROUTE, EDITS_PER_WINDOW, EDIT_WINDOW)
    result = AIResult(schedule)
    async with ScheduledModel(schedule) as model:
        await fake.start()
        env = {
            "OPENAI_BASE_URL": model.base_url,
            "OPENAI_API_KEY": KEY,
            "AI_MODEL": "bench-model",
            "AI_TIMEOUT_SECONDS": str(round(schedule.first_after + schedule.every * 2 + 30)),
        }
        db_path = workdir / "ai.db"
        bot = BotProcess(fake, db_path, workdir / "ai-bot.log", env)
        try:
            await bot.start()
            desk = Desk(fake, bot, db_path)
            await set_up(desk, max_open_tickets=tickets + 1)
            reply = await desk.member("admin").slash("admin feature", name="ai", enabled=True)
            if "now on" not in reply.text:
                raise RuntimeError(f"could not turn the AI on: {reply.text}")
            edits_before = _edits(fake)
            for n in range(tickets):
                _, thread = await open_ticket(desk, subject=f"Printer {n}", message="It jams.")
                await desk.wait_for(lambda n=n: len(model.sent) > n, ANSWER_TIMEOUT, "the answer")
                sent = model.sent[n]
                figures = await desk.wait_for(
                    lambda n=n, thread=thread, sent=sent: _figures(
                        fake, str(thread.id), sent, schedule.words(n)
                    ),
                    ANSWER_TIMEOUT,
                    "the finished answer on Discord",
                )
                result.first_text.append(figures[0])
                result.final_edit.append(figures[1])
            result.edits = _edits(fake) - edits_before
            result.rate_limited = len(fake.rate_limits.hits)
        finally:
            await bot.stop()
            await fake.stop()
    return result


def _edits(fake: WatchedDiscord) -> int:
    return sum(1 for _, _, edited, _ in fake.seen if edited)


async def _main(quick: bool) -> None:  # `python -m bench.ai [--quick]`: these figures alone
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-ai-") as scratch:
        result = await measure_ai(Path(scratch), quick)
    print(result)


if __name__ == "__main__":
    import sys

    asyncio.run(_main("--quick" in sys.argv))
