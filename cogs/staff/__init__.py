"""Staff tools (SPEC §12): tags (`/tag`), staff notes (`/ticket note`), blocks
(`/admin block`, `/admin unblock`, `/admin blocked`), people in a ticket (`/ticket add
member|role`, `/ticket remove member`), close requests (`/ticket close-request`) and
support hours (`/admin hours`, `/admin hours-clear`).

All but `/tag` belong to groups other packages build (`/ticket` in cogs.tickets, `/admin`
in cogs.admin): `register` adds them to those groups, so it runs after theirs
(cogs/app.py). Builds on `cogs.tickets` (a used tag is posted like any staff reply; the
support-hours wording), `cogs.lifecycle` (a close request's buttons and deadline) and
`cogs.shared`.
"""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from cogs.shared.desk import TicketDesk
from cogs.staff.blocks import BLOCK_ITEMS, BlockCommands, UnblockCommands, blocked_command
from cogs.staff.close_requests import close_request_command
from cogs.staff.hours import hours_commands
from cogs.staff.notes import note_command
from cogs.staff.people import people_groups
from cogs.staff.tags import TAG_ITEMS, TagCommands

PERSISTENT_ITEMS = (*TAG_ITEMS, *BLOCK_ITEMS)


def _group(bot: commands.Bot, name: str) -> app_commands.Group:
    group = bot.tree.get_command(name)
    if not isinstance(group, app_commands.Group):
        raise RuntimeError(f"/{name} must be registered before the staff tools")
    return group


async def register(bot: commands.Bot, desk: TicketDesk) -> None:
    await bot.add_cog(TagCommands(desk))
    ticket = _group(bot, "ticket")
    ticket.add_command(note_command(desk))
    for group in people_groups(desk):
        ticket.add_command(group)
    ticket.add_command(close_request_command(desk))
    admin = _group(bot, "admin")
    admin.add_command(BlockCommands(desk))
    admin.add_command(UnblockCommands(desk))
    admin.add_command(blocked_command(desk))
    for command in hours_commands(desk):
        admin.add_command(command)
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
