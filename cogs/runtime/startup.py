"""Reaching Discord at start-up, and the one line each way of failing becomes.

A newcomer's first run fails in a handful of well-known ways (no network, a mistyped or
reset token, the Message Content intent left off, an invite without
`applications.commands`, a wrong DEV_GUILD_ID). Each ends start-up with one sentence that
says what is wrong and what to do, and an exit code per kind; never a traceback.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence

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
_PRIVILEGED = {
    "message_content": "Message Content",
    "members": "Server Members",
    "presences": "Presence",
}


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
        host = host_of(error) or rest_host()
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


def host_of(error: BaseException) -> str | None:
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
    tried = f" for {duration(patience)}" if patience else ""
    return StartupFailure(
        f"Discord could not be reached at {host}{tried} ({reason}): check this machine's "
        "internet connection, DNS and firewall (and any proxy), then start again",
        EXIT_UNREACHABLE,
    )


def duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f}s" if seconds >= 10 else f"{seconds:.1f}s"
