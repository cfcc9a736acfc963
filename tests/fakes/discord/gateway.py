"""The gateway websocket: HELLO, heartbeats, IDENTIFY -> READY -> GUILD_CREATE, RESUME, dispatch.

Frames are plain JSON TEXT frames. discord.py asks for `compress=zlib-stream` in the URL but
only decompresses BINARY frames, so uncompressed TEXT frames are honoured as they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .application import gateway_refusal
from .gateway_faults import (
    CLIENT_ENDS_SESSION,
    INVALID_SEQ,
    SESSION_TIMED_OUT,
    UNKNOWN_ERROR,
    Outage,
)
from .shards import INVALID_SHARD, Shard, guilds_of, identify_shard, routed_to
from .state import DiscordState, Payload

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41250
GUILDS, GUILD_MEMBERS, GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT = (
    1 << 0,
    1 << 1,
    1 << 9,
    1 << 12,
    1 << 15,
)
_GUILD_EVENTS = {
    "GUILD_CREATE",
    "GUILD_UPDATE",
    "GUILD_DELETE",
    "CHANNEL_CREATE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
    "THREAD_MEMBER_UPDATE",
    "THREAD_MEMBERS_UPDATE",
}
_CONTENT_KEYS = ("content", "embeds", "attachments", "components", "poll")


@dataclass
class Session:
    id: str
    intents: int
    shard: Shard = (0, 1)  # IDENTIFY's `shard`: which guilds' events this session gets
    seq: int = 0
    backlog: list[Payload] = field(default_factory=list)  # for RESUME replays
    ws: web.WebSocketResponse | None = None
    # One writer per socket keeps frames in sequence order however events are produced.
    outbox: asyncio.Queue[Payload] | None = None
    writer: asyncio.Task[None] | None = None

    def attach(self, ws: web.WebSocketResponse) -> None:
        self.detach()
        self.ws = ws
        self.outbox = asyncio.Queue()
        self.writer = asyncio.get_running_loop().create_task(self._write(ws, self.outbox))

    def detach(self) -> None:
        if self.writer is not None:
            self.writer.cancel()
        self.ws = self.outbox = self.writer = None

    def enqueue(self, event: str, data: Payload) -> None:
        self.seq += 1
        frame = {"op": 0, "t": event, "s": self.seq, "d": data}
        self.backlog.append(frame)
        if self.outbox is not None:
            self.outbox.put_nowait(frame)

    @staticmethod
    async def _write(ws: web.WebSocketResponse, outbox: asyncio.Queue[Payload]) -> None:
        while not ws.closed:
            frame = await outbox.get()
            with contextlib.suppress(ConnectionResetError):
                await ws.send_json(frame)


class Gateway:
    def __init__(self, state: DiscordState) -> None:
        self.state = state
        self.sessions: dict[str, Session] = {}
        self.identifies: list[Payload] = []
        self.resumes = 0
        self.readies = 0  # READY frames sent: one per new session
        self.identified = asyncio.Event()
        self.outage = Outage()
        self._sockets: set[web.WebSocketResponse] = set()
        self._closed_by_us: set[web.WebSocketResponse] = set()
        self.base_ws_url = ""
        state.dispatch = self.dispatch

    @property
    def resume_ws_url(self) -> str:
        """READY's `resume_gateway_url`: Discord wants RESUMEs there, not on the main URL."""
        return f"{self.base_ws_url}/resume"

    # -- websocket handler ----------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        session: Session | None = None
        via_resume_url = request.path.endswith("/resume")
        try:
            if self.outage.on:
                await self.outage.wait_until_over()
                if ws.closed:  # the client gave up waiting
                    return ws
            await ws.send_json({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = msg.json()
                op, data = frame.get("op"), frame.get("d")
                if op == 1:
                    await ws.send_json({"op": 11})
                elif op in (2, 6) and (refusal := gateway_refusal(self.state.application, data)):
                    code, reason = refusal
                    await ws.close(code=code, message=reason.encode())
                elif op == 2 and identify_shard(data) is None:
                    await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
                elif op == 2:
                    session = await self._identify(ws, data)
                elif op == 6:
                    session = await self._resume(ws, data, via_resume_url)
                elif op == 8:
                    await self._send_member_chunk(session, data)
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.detach()
                # A client closing with 1000/1001 ends its session (it shows offline).
                ended = ws not in self._closed_by_us and ws.close_code in CLIENT_ENDS_SESSION
                if ended:
                    self.sessions.pop(session.id, None)
            self._closed_by_us.discard(ws)
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: Payload) -> Session:
        self.identifies.append(data)
        shard = identify_shard(data) or (0, 1)
        self.state.sharding.note_identify(shard, self.state.violations)
        session = Session(
            id=secrets.token_hex(16), intents=int(data.get("intents") or 0), shard=shard
        )
        self.sessions[session.id] = session
        state = self.state
        guild_ids = guilds_of(shard, state.bot_guild_ids)  # READY lists this shard's only
        ready = {
            "v": 10,
            "user": state.bot_user,
            "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
            "session_id": session.id,
            "resume_gateway_url": self.resume_ws_url,
            "application": {"id": str(state.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "shard": list(shard),
        }
        session.attach(ws)
        session.enqueue("READY", ready)
        self.readies += 1
        for guild_id in guild_ids:
            session.enqueue("GUILD_CREATE", state.guilds[guild_id].payload())
        self.identified.set()
        state.notify()
        return session

    async def _resume(
        self, ws: web.WebSocketResponse, data: Payload, via_resume_url: bool
    ) -> Session | None:
        if not via_resume_url:
            self.state.violations.append(
                "gateway: RESUME sent on the connect URL instead of READY's resume_gateway_url"
            )
        session = self.sessions.get(str(data.get("session_id")))
        if session is None:
            # The session ended: discord.py answers op 9 (d=false) with a fresh IDENTIFY.
            await ws.send_json({"op": 9, "d": False})
            return None
        last_seen = int(data.get("seq") or 0)
        if last_seen > session.seq:
            await self._close(ws, INVALID_SEQ, b"Invalid seq")
            return None
        self.resumes += 1
        session.attach(ws)
        assert session.outbox is not None
        # Everything dispatched after `seq`, in order, then RESUMED: "all later events are new".
        for frame in session.backlog:
            if frame["s"] > last_seen:
                session.outbox.put_nowait(frame)
        session.enqueue("RESUMED", {})
        self.state.notify()
        return session

    async def _send_member_chunk(self, session: Session | None, data: Payload) -> None:
        guild = self.state.guilds.get(int(data.get("guild_id") or 0))
        if session is None or guild is None:
            return
        chunk = {
            "guild_id": str(guild.id),
            "members": list(guild.members.values()),
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": data.get("nonce"),
        }
        session.enqueue("GUILD_MEMBERS_CHUNK", chunk)

    # -- dispatch -------------------------------------------------------------------------
    def dispatch(self, event: str, data: Payload) -> None:
        """Queue an event for the session of its guild's shard (DMs: shard 0), if its
        intents allow it."""
        for session in list(self.sessions.values()):
            if not routed_to(session.shard, event, data):
                continue
            payload = self._filter(session, event, data)
            if payload is not None:
                session.enqueue(event, payload)

    def _filter(self, session: Session, event: str, data: Payload) -> Payload | None:
        intents = session.intents
        bot_id = str(self.state.application_id)
        if event in _GUILD_EVENTS and not intents & GUILDS:
            return None
        if event == "THREAD_MEMBERS_UPDATE" and not intents & GUILD_MEMBERS:
            # Without the members intent Discord only tells the bot about itself.
            added = [m for m in data.get("added_members", []) if m["user_id"] == bot_id]
            removed = [u for u in data.get("removed_member_ids", []) if u == bot_id]
            if not added and not removed:
                return None
        members_event = event.startswith("GUILD_MEMBER_") and not intents & GUILD_MEMBERS
        if members_event and data.get("user", {}).get("id") != bot_id:
            return None
        if event.startswith("MESSAGE_"):
            needed = GUILD_MESSAGES if data.get("guild_id") else DIRECT_MESSAGES
            if not intents & needed:
                return None
            mentioned = any(u["id"] == bot_id for u in data.get("mentions", []))
            own = data.get("author", {}).get("id") == bot_id
            if not intents & MESSAGE_CONTENT and data.get("guild_id") and not (mentioned or own):
                blank: dict[str, Any] = {"content": "", "embeds": [], "attachments": []}
                return {**data, **blank, "components": []}
        return data

    # -- control for tests ----------------------------------------------------------------
    async def _close(self, ws: web.WebSocketResponse, code: int, message: bytes) -> None:
        self._closed_by_us.add(ws)
        await ws.close(code=code, message=message)

    async def drop_connections(
        self, code: int = UNKNOWN_ERROR, *, end_sessions: bool = False
    ) -> None:
        """Close every socket as a network blip would; discord.py then RESUMEs.

        With `end_sessions` the sessions are gone too (as after a timeout, close 4009): the
        RESUME is refused with op 9 and the bot must IDENTIFY for a new session.
        """
        if end_sessions:
            code = SESSION_TIMED_OUT if code == UNKNOWN_ERROR else code
            self.sessions.clear()
        for ws in list(self._sockets):
            await self._close(ws, code, b"fake drop")

    async def invalidate_sessions(self, *, resumable: bool = False) -> None:
        """Send INVALID_SESSION (op 9) on every live connection.

        d=false ends the session (discord.py closes with 1000 and IDENTIFYs); d=true keeps
        it (discord.py reconnects and RESUMEs, getting the missed events replayed).
        """
        for session in list(self.sessions.values()):
            ws = session.ws
            if ws is None:
                continue
            if not resumable:
                del self.sessions[session.id]
            with contextlib.suppress(ConnectionResetError):
                await ws.send_json({"op": 9, "d": resumable})

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT, as Discord does before moving a session; the client RESUMEs."""
        for ws in list(self._sockets):
            await ws.send_json({"op": 7, "d": None})

    async def close(self) -> None:
        self.outage.end()  # held connections may finish
        for session in self.sessions.values():
            session.detach()
        await self.drop_connections(code=1001)
