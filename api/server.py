"""Serving the app with uvicorn on an event loop someone else owns (the bot's).

uvicorn's own signal handlers are left out: the process around it (bot.py) decides when
to stop, and stops the server with `stop()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Generator

import uvicorn
from fastapi import FastAPI

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # the owner of the loop handles SIGINT / SIGTERM


class ApiServer:
    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            server_header=False,
        )
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None
        self.host, self.port = host, port

    async def start(self) -> None:
        """Serve in a task; returns once the socket listens. Raises OSError (the port is in
        use...) here, rather than letting uvicorn exit the process."""
        listening = _listen(self.host, self.port)
        self._task = asyncio.create_task(self._server.serve([listening]), name="http-api")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises the reason (port in use...)
                raise OSError(f"the HTTP API could not listen on {self.host}:{self.port}")
            await asyncio.sleep(0.02)
        log.info("HTTP API listening on http://%s:%s/api/docs", self.host, self.port)

    def request_stop(self) -> None:
        self._server.should_exit = True

    async def wait_closed(self) -> None:
        """Until the server stops (a separate API process serves until it is signalled)."""
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(self._task, timeout=5)
        self._task = None


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock
