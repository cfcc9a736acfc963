"""Reaching Discord at start-up, and the one line each way of failing becomes.

A newcomer's first run fails in a handful of well-known ways (no network, a mistyped or
reset token, the Message Content intent left off, an invite without
`applications.commands`, a wrong DEV_GUILD_ID). Each ends start-up with one sentence that
says what is wrong and what to do, and an exit code per kind; never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Sequence
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

log = logging.getLogger(__name__)

EXIT_UNREACHABLE = 4
EXIT_TOKEN = 5
EXIT_INTENTS = 6
EXIT_INVITE = 7  # commands refused, or DEV_GUILD_ID not a server the bot is in

PORTAL = "https://discord.com/developers/applications"
TOKEN_REJECTED = (
    "DISCORD_TOKEN was rejected by Discord: copy a fresh one from the developer portal "
    "(Bot → Reset Token)"
)
# What README's invite link grants (tests/test_readme.py checks the two agree).
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    create_private_threads=True,
    send_messages_in_threads=True,
    manage_threads=True,
    manage_roles=True,
)
_PRIVILEGED = {"message_content": "Message Content", "members": "Server Members"}
_PRIVILEGED["presences"] = "Presence"


class StartupFailure(Exception):
    """Start-up cannot go on: `line` says why and what to do; `exit_code` says which kind."""

    def __init__(self, line: str, exit_code: int) -> None:
        super().__init__(line)
        self.line = line
        self.exit_code = exit_code


def desk_intents() -> discord.Intents:
    """The gateway intents the desk needs; Message Content is privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True
    return intents


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    return discord.utils.oauth_url(
        application_id,
        permissions=INVITE_PERMISSIONS,
        scopes=("bot", "applications.commands"),
        guild=discord.Object(guild_id) if guild_id else discord.utils.MISSING,
        disable_guild_select=guild_id is not None,
    )


def token_rejected() -> StartupFailure:
    return StartupFailure(TOKEN_REJECTED, EXIT_TOKEN)


def intents_refused(intents: discord.Intents) -> StartupFailure:
    names = [label for flag, label in _PRIVILEGED.items() if getattr(intents, flag)]
    which = " and ".join(names) or "a privileged"
    return StartupFailure(
        f"Discord refused the {which} intent, which is not switched on for this bot: in the "
        f"developer portal ({PORTAL}) open your application → Bot → Privileged Gateway "
        f"Intents, turn on {which}, save, then start again",
        EXIT_INTENTS,
    )


def commands_refused(
    application_id: int, guild: discord.Guild | None, detail: str = "50001 Missing Access"
) -> StartupFailure:
    where = f" in {guild.name}" if guild else ""
    url = invite_url(application_id, guild.id if guild else None)
    return StartupFailure(
        f"Discord refused to register the slash commands{where} ({detail}): the bot was "
        f"invited without the applications.commands scope. Invite it again with {url} "
        "(it keeps its roles), then start again",
        EXIT_INVITE,
    )


def dev_guild_elsewhere(
    dev_guild_id: int, guilds: Sequence[discord.Guild], application_id: int
) -> StartupFailure:
    joined = ", ".join(f"{g.name} ({g.id})" for g in guilds) or "no server yet"
    return StartupFailure(
        f"DEV_GUILD_ID {dev_guild_id} is not a server this bot is in (it is in: {joined}). "
        f"Invite it there with {invite_url(application_id, dev_guild_id)}, or correct "
        "DEV_GUILD_ID, or remove it to register the commands in every server",
        EXIT_INVITE,
    )


def explain(error: BaseException, intents: discord.Intents) -> StartupFailure | None:
    """The start-up failure a discord.py error stands for; None for anything else (a bug)."""
    if isinstance(error, StartupFailure):
        return error
    if isinstance(error, discord.LoginFailure):
        return token_rejected()
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return intents_refused(intents)
    if isinstance(error, discord.ConnectionClosed):
        if error.code == 4004:
            return token_rejected()
        if error.code == 4014:
            return intents_refused(intents)
        return StartupFailure(
            f"Discord closed the gateway connection (code {error.code}) and it cannot be "
            "resumed; start the bot again, and if it keeps happening check "
            "https://discordstatus.com",
            EXIT_UNREACHABLE,
        )
    if isinstance(error, discord.HTTPException) and error.status == 401:
        return token_rejected()
    if is_transient(error):
        host = _host_of(error) or rest_host()
        return unreachable(host, describe_network(error), None)
    return None


# -- reaching Discord -------------------------------------------------------------------


def is_transient(error: BaseException) -> bool:
    """A failure that may pass by itself: no network, DNS, TLS, a timeout, Discord's 5xx."""
    return isinstance(
        error,
        aiohttp.ClientConnectionError
        | OSError
        | TimeoutError
        | ssl.SSLError
        | discord.DiscordServerError
        | discord.GatewayNotFound,
    )


def describe_network(error: BaseException) -> str:
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return "DNS lookup failed"
    if isinstance(error, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return "TLS handshake failed"
    if isinstance(error, ssl.SSLError):
        return "TLS handshake failed"
    if isinstance(error, TimeoutError | aiohttp.ServerTimeoutError):
        return "timed out"
    if isinstance(error, discord.DiscordServerError):
        return f"Discord answered {error.status}"
    if isinstance(error, discord.GatewayNotFound):
        return "no gateway address"
    if isinstance(error, discord.ConnectionClosed):
        return f"connection closed with code {error.code}"
    os_error = getattr(error, "os_error", error)
    if isinstance(os_error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror.lower()
    return type(error).__name__


def _host_of(error: BaseException) -> str | None:
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"{error.host}:{error.port}"
    return None


def _label(url: yarl.URL) -> str:
    return f"{url.host}:{url.port}"


def rest_host() -> str:
    return _label(yarl.URL(discord.http.Route.BASE))


def gateway_host() -> str:
    return _label(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


def unreachable(host: str, reason: str, patience: float | None) -> StartupFailure:
    tried = f" for {_duration(patience)}" if patience else ""
    return StartupFailure(
        f"Discord could not be reached at {host}{tried} ({reason}): check this machine's "
        "internet connection, DNS and firewall (and any proxy), then start again",
        EXIT_UNREACHABLE,
    )


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f}s" if seconds >= 10 else f"{seconds:.1f}s"


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
            host, reason = _host_of(error) or rest_host(), describe_network(error)
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise unreachable(host, reason, patience) from None
            wait = min(delay, remaining)
            log.warning(
                "Cannot reach Discord at %s (%s); retrying in %.1fs, for up to %s in all",
                host,
                reason,
                wait,
                _duration(patience),
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
                with contextlib.suppress(Exception):
                    await running
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
        if record.exc_info and str(record.msg).startswith("Attempting a reconnect"):
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
