"""Rating buttons sent with the closing DM, and the optional comment modal."""

from __future__ import annotations

import re
from typing import Self

import discord

from cogs.shared.buttons import PersistentButton, TargetButton
from cogs.shared.custom_ids import ANY, id_in
from cogs.shared.desk import TicketDesk, desk_of
from cogs.shared.language import member_speech
from cogs.shared.modals import NONCE, RoutedModal, nonce
from cogs.shared.submitted import Submitted
from cogs.shared.text import send_ephemeral
from i18n import N_, Speech


def rating_view(ticket_id: int, t: Speech) -> discord.ui.View:
    """One to five stars (no words to translate; `t` is the DM's language)."""
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
        t = member_speech(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(CommentButton(self.ticket_id, t))
        await send_ephemeral(
            interaction,
            t._(
                "Thank you! You rated ticket #{ticket_id} {stars} out of 5. Anything you'd "
                "like to add?",
                ticket_id=self.ticket_id,
                stars=self.stars,
            ),
            view=view,
        )


class CommentButton(TargetButton, prefix="feedback:comment"):
    button_label = N_("Add a comment")
    button_style = discord.ButtonStyle.primary

    async def clicked(self, interaction: discord.Interaction, desk: TicketDesk) -> None:
        # Refuse now (unknown ticket, not rated yet), not after the member has typed.
        await desk.services.feedback.check_comment(interaction.user.id, self.target_id)
        await CommentModal(self.target_id, member_speech(interaction)).show(interaction)


class CommentModal(RoutedModal, template=rf"feedback:comment-modal:(?P<id>{ANY}):{NONCE}"):
    comment: discord.ui.TextInput = discord.ui.TextInput(
        label=N_("Your comment"),
        style=discord.TextStyle.paragraph,
        max_length=1000,
        custom_id="comment",
    )

    def __init__(self, ticket_id: int, t: Speech) -> None:
        super().__init__(
            title=t._("Feedback on ticket #{ticket_id}", ticket_id=ticket_id),
            custom_id=f"feedback:comment-modal:{ticket_id}:{nonce()}",
        )
        self.comment.label = t._("Your comment")

    @classmethod
    async def submitted(
        cls, interaction: discord.Interaction, match: re.Match[str], values: Submitted
    ) -> None:
        await desk_of(interaction).services.feedback.comment(
            interaction.user.id, id_in(match["id"]), values.text("comment")
        )
        t = member_speech(interaction)
        await send_ephemeral(interaction, t._("Thanks, your comment was saved for the staff team."))


FEEDBACK_ITEMS = (RateButton, CommentButton)
