"""One place that turns any failure into an ephemeral reply the member can act on."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from cogs.shared.language import member_speech
from cogs.shared.submitted import Submitted
from cogs.shared.text import Typed, refuse
from core.errors import DomainError
from i18n import N_
from wording.catalogue import error_text

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])

# Options whose text a member typed; echoed back on a refusal so nothing is lost.
TYPED_OPTIONS = ("message", "subject", "reason", "text")
TRIVIAL_TYPING = 40

UNEXPECTED = N_(
    "Something went wrong on our side and it has been logged. Please try again in a moment."
)


def typed_text(interaction: discord.Interaction) -> Typed:
    """Everything free the member typed into this command (or modal), to give back."""
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    if interaction.type is discord.InteractionType.modal_submit:
        return Submitted(data).typed()
    found: list[tuple[str, str]] = []

    def walk(options: list[dict[str, Any]]) -> None:
        for option in options:
            if option.get("name") in TYPED_OPTIONS and isinstance(option.get("value"), str):
                found.append((option["name"], option["value"]))
            walk(option.get("options") or [])

    walk(list(data.get("options") or []))
    return found


async def report_error(
    interaction: discord.Interaction, error: Exception, typed: Typed | None = None
) -> None:
    """Tell the member what went wrong, giving back what they typed (`typed`, or else
    whatever the interaction carries)."""
    original = getattr(error, "original", error)
    t = member_speech(interaction)
    if isinstance(original, DomainError):
        text = error_text(original, t=t)
    elif isinstance(original, app_commands.CheckFailure | app_commands.TransformerError):
        text = t._("That can't be done here: {reason}", reason=original)
    else:
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error(
            "unexpected error in %s (guild %s)", command, interaction.guild_id, exc_info=original
        )
        text = t._(UNEXPECTED)
    typed = typed_text(interaction) if typed is None else typed
    if sum(len(value) for _, value in typed) <= TRIVIAL_TYPING:
        typed = []  # a word or two is quicker to retype than to read back
    try:
        await refuse(interaction, text, typed)
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
