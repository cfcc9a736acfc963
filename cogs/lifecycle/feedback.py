"""Rating buttons sent with the closing DM, and the optional comment modal."""

from __future__ import annotations

import re
from typing import Self

import discord

from cogs.shared.buttons import PersistentButton, TargetButton
from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.submitted import Submitted
from cogs.shared.text import send_ephemeral


def rating_view(ticket_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for stars in range(1, 6):
        view.add_item(RateButton(ticket_id, stars))
    return view


class RateButton(PersistentButton, template=rf"feedback:rate:(?P<id>{ANY}):(?P<stars>[1-5])"):
    def __init__(self, ticket_id: int, stars: int) -> None:
        super().__init__(f"feedback:rate:{ticket_id}:{stars}", label="★" * stars)
        self.ticket_id, self.stars = ticket_id, stars

    @classmethod
    def from_match(cls, match: re.Match[str], item: discord.ui.Button) -> Self:
        return cls(id_in(match["id"]), int(match["stars"]))

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        await desk.services.feedback.rate(interaction.user.id, self.ticket_id, self.stars)
        view = discord.ui.View(timeout=None)
        view.add_item(CommentButton(self.ticket_id))
        await send_ephemeral(
            interaction,
            f"Thank you! You rated ticket #{self.ticket_id} {self.stars} out of 5. "
            "Anything you'd like to add?",
            view=view,
        )


class CommentButton(TargetButton, prefix="feedback:comment"):
    button_label = "Add a comment"
    button_style = discord.ButtonStyle.primary

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        # Refuse now (unknown ticket, not rated yet), not after the member has typed.
        await desk.services.feedback.check_comment(interaction.user.id, self.target_id)
        await CommentModal(self.target_id).show(interaction)


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
        await desk_of(interaction).services.feedback.comment(
            interaction.user.id, id_in(match["id"]), values.text("comment")
        )
        await send_ephemeral(interaction, "Thanks, your comment was saved for the staff team.")


FEEDBACK_ITEMS = (RateButton, CommentButton)
