"""Hold a REST request mid-flight, so a test can act while the bot waits on Discord.

`after=False` holds the request before Discord acts on it; `after=True` lets it take
effect and holds only the answer, which is the moment a crash leaves the bot not knowing
whether its message was sent. Each hold catches one request, then lets others through.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .state import DiscordState


@dataclass
class Hold:
    method: str
    route: str  # e.g. "/channels/{channel_id}/messages"
    path_contains: str  # narrows it, e.g. "/channels/123/"
    after: bool
    reached: bool = False  # the request is being held now (or was)
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self._released.set()

    def matches(self, method: str, route: str, path: str, after: bool) -> bool:
        return (
            not self.reached
            and self.after == after
            and self.method == method
            and self.route == route
            and self.path_contains in path
        )


class Holds:
    def __init__(self, state: DiscordState) -> None:
        self._state = state
        self._holds: list[Hold] = []

    def add(self, method: str, route: str, *, path_contains: str = "", after: bool = False) -> Hold:
        hold = Hold(method.upper(), route, path_contains, after)
        self._holds.append(hold)
        return hold

    async def pause(self, method: str, route: str, path: str, *, after: bool) -> None:
        hold = next((h for h in self._holds if h.matches(method, route, path, after)), None)
        if hold is None:
            return
        hold.reached = True
        self._state.notify()
        await hold._released.wait()

    def release_all(self) -> None:
        for hold in self._holds:
            hold.release()
