"""Gateway trouble on demand: outages, dropped connections, ended sessions.

What Discord does, and what the fake therefore does (docs: topics/gateway "Resuming",
"Disconnecting", opcodes-and-status-codes):
- A session outlives its connection. Events dispatched while the bot is disconnected are
  kept, and a RESUME (op 6) on the session's `resume_gateway_url` replays those after the
  given `seq`, then sends RESUMED.
- A session ends when the client closes with 1000/1001, when Discord sends INVALID_SESSION
  (op 9, d=false), or when it times out (close 4009). A RESUME of an ended session is
  answered with op 9 d=false; the client must IDENTIFY again and gets a new READY, and the
  events of the old session are gone for good (history is the only way back to them).
- RECONNECT (op 7) and op 9 d=true ask the client to reconnect and RESUME.
- During an outage nothing answers: a new connection gets no HELLO until the outage ends.
"""

from __future__ import annotations

import asyncio

# Close codes Discord uses (opcodes-and-status-codes#gateway-close-event-codes).
UNKNOWN_ERROR = 4000  # reconnect and resume
INVALID_SEQ = 4007  # the seq sent in RESUME was invalid: identify again
SESSION_TIMED_OUT = 4009  # the session is gone: identify again
CLIENT_ENDS_SESSION = (1000, 1001)  # a client closing with these invalidates its session


class Outage:
    """While on, new gateway connections wait before HELLO, as if Discord were unreachable.

    discord.py waits for HELLO up to its heartbeat timeout (60 s) and then simply tries
    again, so a held connection is an outage without the client's reconnect backoff.
    """

    def __init__(self) -> None:
        self._over = asyncio.Event()
        self._over.set()
        self.waiting = 0  # connections held right now

    @property
    def on(self) -> bool:
        return not self._over.is_set()

    def begin(self) -> None:
        self._over.clear()

    def end(self) -> None:
        self._over.set()

    async def wait_until_over(self) -> None:
        self.waiting += 1
        try:
            await self._over.wait()
        finally:
            self.waiting -= 1
