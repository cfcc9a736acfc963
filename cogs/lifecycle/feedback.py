"""Rating buttons sent with the closing DM, and the optional comment modal."""

from __future__ import annotations

import re
from typing import Any

import discord

from cogs.shared.common import send_ephemeral
from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.errors import guarded
from cogs.shared.modals import NONCE, RoutedModal, Submitted, nonce


def rating_view(ticket_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for stars in range(1, 6):
        view.add_item(RateButton(ticket_id, stars))
    return view


def _feedback(interaction: discord.Interaction):
    return interaction.client.desk.services.feedback  # type: ignore[attr-defined]


class RateButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"feedback:rate:(?P<id>{ANY}):(?P<stars>[1-5])",
):
    def __init__(self, ticket_id: int, stars: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="★" * stars,
                style=discord.ButtonStyle.secondary,
                custom_id=f"feedback:rate:{ticket_id}:{stars}",
            )
        )
        self.ticket_id, self.stars = ticket_id, stars

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> Any:
        return cls(id_in(match["id"]), int(match["stars"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        await _feedback(interaction).rate(interaction.user.id, self.ticket_id, self.stars)
        view = discord.ui.View(timeout=None)
        view.add_item(CommentButton(self.ticket_id))
        await send_ephemeral(
            interaction,
            f"Thank you! You rated ticket #{self.ticket_id} {self.stars} out of 5. "
            "Anything you'd like to add?",
            view=view,
        )


class CommentButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"feedback:comment:(?P<id>{ANY})"
):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add a comment",
                style=discord.ButtonStyle.primary,
                custom_id=f"feedback:comment:{ticket_id}",
            )
        )
        self.ticket_id = ticket_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> Any:
        return cls(id_in(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> Any:
        # Refuse now (unknown ticket, not rated yet), not after the member has typed.
        await _feedback(interaction).check_comment(interaction.user.id, self.ticket_id)
        await CommentModal(self.ticket_id).show(interaction)


class CommentModal(RoutedModal, template=rf"feedback:comment-modal:(?P<id>{ANY}):{NONCE}"):
    comment: discord.ui.TextInput = discord.ui.TextInput(
        label="Your comment",
        style=discord.TextStyle.paragraph,
        max_length=1000,
        custom_id="comment",
    )

    def __init__(self, ticket_id: int) -> None:
        super().__init__(
            title=f"Feedback on ticket #{ticket_id}",
            custom_id=f"feedback:comment-modal:{ticket_id}:{nonce()}",
        )

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        await _feedback(interaction).comment(
            interaction.user.id, id_in(match["id"]), values.text("comment")
        )
        await send_ephemeral(interaction, "Thanks, your comment was saved for the staff team.")


FEEDBACK_ITEMS = (RateButton, CommentButton)
