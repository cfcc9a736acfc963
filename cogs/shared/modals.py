"""Modals answered from what the submit itself carries, never from a modal kept in memory.

discord.py keeps each modal it shows in a table keyed by custom_id alone, and drops a
submit whose modal is not there. That loses members' text: two members shown a modal with
the same custom_id share one object (one's text lands in the other's ticket, or one submit
is never answered), and a modal shown before a restart, or left open past its timeout, is
answered by nobody. So every modal here is a `RoutedModal`: discord.py only renders it; its
custom_id names what it is for plus a per-showing nonce; and `ModalRouter` answers the
submit from the custom_id and the submitted values, like a DynamicItem does for buttons.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import discord
from discord.ext import commands

from cogs.shared.errors import report_error
from cogs.shared.language import member_speech
from cogs.shared.submitted import Submitted
from cogs.shared.text import Typed, refuse
from i18n import N_

log = logging.getLogger(__name__)

NONCE = r"[0-9a-f]{12}"
GONE = N_(
    "This window was opened before the bot restarted and can no longer be used. "
    "Please open it again."
)


def nonce() -> str:
    """Makes each showing's custom_id its own, so no two members ever share one."""
    return secrets.token_hex(6)


class RoutedModal(discord.ui.Modal):
    """A modal discord.py renders but does not keep: `ModalRouter` answers its submit.

    Subclasses give a `template` their custom_ids match, which also registers them with
    the router, and implement `submitted`.
    """

    pattern: ClassVar[re.Pattern[str]]
    routes: ClassVar[list[type[RoutedModal]]] = []

    def __init_subclass__(cls, *, template: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if template is not None:
            cls.pattern = re.compile(template)
            RoutedModal.routes.append(cls)

    async def show(self, interaction: discord.Interaction) -> None:
        # discord.py does not store a modal that is already finished, so no copy is kept
        # to take (or swallow) the submit: it reaches the router whatever happens meanwhile.
        self.stop()
        await interaction.response.send_modal(self)

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        raise NotImplementedError

    @classmethod
    def typed(cls, values: Submitted) -> Typed:
        """What to give back if the submit is refused, named by the inputs' custom_ids."""
        return values.typed()


class ModalRouter(commands.Cog):
    """Answers every modal submit from its custom_id, or says the modal is gone."""

    def __init__(self, modals: Iterable[type[RoutedModal]] | None = None) -> None:
        self.modals = tuple(RoutedModal.routes if modals is None else modals)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, Any] = interaction.data or {}  # type: ignore[assignment]
        custom_id = str(data.get("custom_id") or "")
        values = Submitted(data)
        for modal in self.modals:
            match = modal.pattern.fullmatch(custom_id)
            if match is None:
                continue
            try:
                await modal.submitted(interaction, match, values)
            except Exception as error:
                await report_error(interaction, error, modal.typed(values))
            return
        # Shown by an older version of the bot (its custom_id meant nothing outside that
        # process): say so, and give the text back.
        log.info("modal submit with unknown custom_id %r", custom_id[:100])
        try:
            await refuse(interaction, member_speech(interaction)._(GONE), values.typed())
        except discord.HTTPException as failure:
            log.warning("could not answer a stale modal: %s", failure)
