"""Reaching Discord: the REST login retried with backoff, the first gateway connection
retried likewise, and discord.py's reconnect tracebacks folded into one line each.

What a failure means to the person starting the bot is in cogs/runtime/startup.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import discord.http

from cogs.runtime.startup import (
    describe_network,
    duration,
    gateway_host,
    host_of,
    is_transient,
    rest_host,
    token_rejected,
    unreachable,
)

log = logging.getLogger(__name__)


async def wait_for_discord(token: str, patience: float) -> None:
    """Log in over REST until Discord answers; retry transient failures with backoff.

    A fresh HTTP client per attempt: discord.py's own client cannot log in twice.
    Raises StartupFailure for a rejected token, or once `patience` seconds have passed.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    delay = 1.0
    while True:
        http = discord.http.HTTPClient(loop)
        try:
            await http.static_login(token)
            return
        except discord.LoginFailure:
            raise token_rejected() from None
        except Exception as error:
            if not is_transient(error):
                raise
            host, reason = host_of(error) or rest_host(), describe_network(error)
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise unreachable(host, reason, patience) from None
            wait = min(delay, remaining)
            log.warning(
                "Cannot reach Discord at %s (%s); retrying in %.1fs, for up to %s in all",
                host,
                reason,
                wait,
                duration(patience),
            )
            await asyncio.sleep(wait)
            delay = min(delay * 2, 60.0)
        finally:
            await http.close()


async def run_until_closed(client: Any, token: str, patience: float) -> None:
    """Log in, connect, and run until the client closes.

    Until the first READY, an unreachable gateway is retried here with backoff (discord.py
    gives up on a first connection that fails) and start-up stops with the line after
    `patience` seconds. A client may stop itself by setting `startup_failure` and closing.
    """
    await client.login(token)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    first_ready = asyncio.ensure_future(client.wait_for("connect"))
    delay = 1.0
    try:
        while True:
            running = asyncio.ensure_future(client.connect())
            remaining = max(deadline - loop.time(), 0.0)
            done, _ = await asyncio.wait(
                {first_ready, running}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            if first_ready in done or (running in done and running.exception() is None):
                await running
                break
            reason = RECONNECTS.last_reason or "no answer"
            if running in done:
                reason = _transient_reason(running.exception())
            remaining = deadline - loop.time()
            if not done or remaining <= 0:
                await client.close()
                # Shards retry their first connection by themselves, closed or not: stop it.
                running.cancel()
                await asyncio.wait({running}, timeout=5.0)
                raise unreachable(gateway_host(), reason, patience)
            wait = min(delay, remaining)
            host = gateway_host()
            log.warning(
                "Cannot reach Discord's gateway at %s (%s); retrying in %.1fs", host, reason, wait
            )
            await asyncio.sleep(wait)
            delay = min(delay * 2, 60.0)
    finally:
        first_ready.cancel()
    failure = getattr(client, "startup_failure", None)
    if failure is not None:
        raise failure


def _transient_reason(error: BaseException | None) -> str:
    """Why a first connection failed, or re-raise what is not a network failure.

    discord.py 2.7 logs a failed first connection and then trips over its missing socket
    (AttributeError); the network error is that exception's context.
    """
    assert error is not None
    for candidate in (error, error.__context__):
        if candidate is not None and is_transient(candidate):
            return describe_network(candidate)
    raise error


class _OneLineReconnects(logging.Filter):
    """discord.py logs each gateway reconnect with a full traceback; one line says it all."""

    def __init__(self) -> None:
        super().__init__()
        self.last_reason: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        # discord.shard words it "Attempting a reconnect for shard ID 1 in 1.23s", and a
        # shard's first connection "Failed to connect for shard_id: 1. Retrying...".
        if record.exc_info and str(record.msg).startswith(
            ("Attempting a reconnect", "Failed to connect for shard_id")
        ):
            error = record.exc_info[1]
            self.last_reason = describe_network(error) if error else None
            retrying = record.getMessage().lower()  # "attempting a reconnect in 1.23s"
            record.msg = "No connection to Discord's gateway at %s (%s); %s"
            record.args = (gateway_host(), self.last_reason, retrying)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


RECONNECTS = _OneLineReconnects()


def quiet_reconnect_tracebacks() -> None:
    logging.getLogger("discord.client").addFilter(RECONNECTS)
    logging.getLogger("discord.shard").addFilter(RECONNECTS)  # the same, run as shards
