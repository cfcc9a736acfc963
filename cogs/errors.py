"""One place that turns any failure into an ephemeral reply the member can act on."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from cogs.common import quote_back, send_ephemeral
from core.errors import DomainError

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])

# Options whose text a member typed; echoed back on a refusal so nothing is lost.
TYPED_OPTIONS = ("message", "subject", "reason")

UNEXPECTED = (
    "Something went wrong on our side and it has been logged. Please try again in a moment."
)


def typed_text(interaction: discord.Interaction) -> str | None:
    """The longest free text the member typed into this command, if any."""
    found: list[str] = []

    def walk(options: list[dict[str, Any]]) -> None:
        for option in options:
            if option.get("name") in TYPED_OPTIONS and isinstance(option.get("value"), str):
                found.append(option["value"])
            walk(option.get("options") or [])

    walk(list((interaction.data or {}).get("options") or []))
    return max(found, key=len) if found else None


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    original = getattr(error, "original", error)
    typed = typed_text(interaction)
    if isinstance(original, DomainError):
        text = str(original)
    elif isinstance(original, app_commands.CheckFailure | app_commands.TransformerError):
        text = f"That can't be done here: {original}"
    else:
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error(
            "unexpected error in %s (guild %s)", command, interaction.guild_id, exc_info=original
        )
        text = UNEXPECTED
    if typed and len(typed) > 40:
        text += quote_back(typed)
    try:
        await send_ephemeral(interaction, text)
    except discord.HTTPException as failure:
        log.warning("could not tell the member about an error: %s", failure)


def guarded(callback: F) -> F:
    """For button and modal callbacks, whose errors discord.py would only log."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> Any:
        try:
            return await callback(self, interaction, *args)
        except Exception as error:
            await report_error(interaction, error)

    return wrapper  # type: ignore[return-value]
