"""The one base for buttons that keep working after a restart.

Each button is a discord.py DynamicItem: its custom_id carries what it acts on
(`ticket:close:42`), discord.py rebuilds it from that custom_id on every click, so the bot
needs no memory of the message. The base adds what every such button needs: a guarded
callback (any failure becomes an ephemeral reply, see errors.py) that reaches the
services through the desk.

Subclasses give their custom_id `template` (or, for `<prefix>:<number>`, a `prefix`) and
implement `from_match` and `clicked`. custom_ids are a contract with messages already
posted: never change one.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

import discord

from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.errors import report_error
from i18n import Speech, speech

NEVER = r"(?!)"  # the template of the bases themselves: matches no custom_id


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button], template=NEVER):
    def __init_subclass__(cls, *, template: str = NEVER, **kwargs: Any) -> None:
        super().__init_subclass__(template=template, **kwargs)

    def __init__(
        self,
        custom_id: str,
        *,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        emoji: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=style, emoji=emoji, custom_id=custom_id, disabled=disabled
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> Self:
        return cls.from_match(match, item)

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        """The button a clicked custom_id stands for (`item` is the clicked component)."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py would only log an error raised here; the member must hear about it.
        try:
            await self.clicked(interaction, desk_of(interaction))
        except Exception as error:
            await report_error(interaction, error)

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        raise NotImplementedError


class TargetButton(PersistentButton):
    """A button acting on one thing named by its number (a ticket, a form, a submission):
    custom_id `<prefix>:<number>`. Subclasses pass `prefix=` and set the look; the label is
    an English sentence marked with N_, shown in the language `t` the button is made in
    (rebuilt from a click, the label is not shown again, so English does)."""

    prefix: ClassVar[str] = ""
    button_label: ClassVar[str] = ""
    button_context: ClassVar[str | None] = None  # gettext's context, when the label needs one
    button_style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary
    button_emoji: ClassVar[str | None] = None

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: Any) -> None:
        if prefix is None:
            super().__init_subclass__(**kwargs)
            return
        cls.prefix = prefix
        super().__init_subclass__(template=rf"{prefix}:(?P<id>{ANY})", **kwargs)

    def __init__(self, target_id: int, t: Speech | None = None) -> None:
        t = t or speech()
        if self.button_context:
            label = t.pgettext(self.button_context, self.button_label)
        else:
            label = t._(self.button_label)
        super().__init__(
            f"{self.prefix}:{target_id}",
            label=label,
            style=self.button_style,
            emoji=self.button_emoji,
        )
        self.target_id = target_id

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        # A forged or mangled number reads as 0, which the service answers "not found".
        return cls(id_in(match["id"]))
