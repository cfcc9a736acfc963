"""Show a streamed AI answer in a thread: one message edited as text arrives, more past 2000.

The first words are posted the moment they arrive. After that, a member can't read faster
than a few words a second and Discord allows 5 edits per 5 s in a channel, so the visible
text is refreshed at most once per `interval` seconds and only while that leaves one edit of
Discord's budget free (cogs/ai/edit_pace.py): the edit showing the whole answer goes out as
soon as the stream ends, never held back by the refreshes before it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import discord

from cogs.ai.edit_pace import EditPace
from cogs.shared.text import MESSAGE_LIMIT, NO_PINGS, split_text
from i18n import Speech, speech

HEADER = "🤖 **AI answer**"  # SPEC §7: "AI answer" in every language
WRITING = " …"


class AnswerStream:
    def __init__(
        self,
        channel: discord.abc.Messageable,
        *,
        t: Speech | None = None,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        pace: EditPace | None = None,
    ) -> None:
        t = t or speech()
        self.continued = t._("{header} (continued)", header=HEADER)
        self.footer = "-# " + t._(
            "Written by an AI assistant and it can be wrong. Staff can step in at any time."
        )
        # Room left in each message for the header, the footer and the "still writing" mark.
        self.body_limit = (
            MESSAGE_LIMIT - max(len(HEADER), len(self.continued)) - len(self.footer) - 8
        )
        self.channel = channel
        self.text = ""
        self.messages: list[discord.Message] = []
        self._shown: list[str] = []
        self._interval = interval
        self._clock = clock
        self._last_flush = float("-inf")
        self._pace = pace or EditPace()

    async def feed(self, delta: str) -> None:
        self.text += delta
        # The first words go out at once; after that, refresh at most once an interval.
        if not self.messages:
            await self._flush(final=False)
            return
        now = self._clock()
        if now - self._last_flush >= self._interval and self._pace.may_refresh(now):
            await self._flush(final=False)

    async def finish(self, view: discord.ui.View | None = None, note: str = "") -> None:
        """Show the whole text with the footer (and `note`), and the buttons under the last part."""
        if note:
            self.text = f"{self.text.rstrip()}\n\n{note}"
        await self._flush(final=True, view=view)

    def _pages(self, final: bool) -> list[str]:
        chunks = split_text(self.text.strip() or "…", self.body_limit)
        pages = [f"{self.continued if i else HEADER}\n{chunk}" for i, chunk in enumerate(chunks)]
        pages[-1] += f"\n{self.footer}" if final else WRITING
        return pages

    async def _flush(self, *, final: bool, view: discord.ui.View | None = None) -> None:
        self._last_flush = self._clock()
        pages = self._pages(final)
        for index, page in enumerate(pages):
            extra = {"view": view} if view is not None and index == len(pages) - 1 else {}
            if index < len(self.messages):
                if self._shown[index] != page or extra:
                    if final:  # only if the budget was spent elsewhere: Discord would 429
                        await asyncio.sleep(self._pace.wait_before_final(self._clock()))
                    self._pace.note(self._clock())
                    await self.messages[index].edit(
                        content=page, allowed_mentions=NO_PINGS, **extra
                    )
                    self._shown[index] = page
            else:
                # The model's text may hold @everyone or role mentions: never a ping.
                sent = await self.channel.send(page, allowed_mentions=NO_PINGS, **extra)
                self.messages.append(sent)
                self._shown.append(page)
        self._last_flush = self._clock()
