"""The one pager: Previous and Next under a paged message (/ticket list and view,
/forms submissions).

What a page button carries differs per list (filters, a form, a part of a page), so each
list makes its own buttons (persistent, see buttons.py); the pager decides where they
point, which is disabled, and how they are labelled.
"""

from __future__ import annotations

from collections.abc import Callable

import discord

PREVIOUS = "◀ Previous"
NEXT = "Next ▶"

# (the page it leads to, whether it is Next, whether it is disabled) -> the button
MakeButton = Callable[[int, bool, bool], discord.ui.Item]


def pager(make: MakeButton, page: int, page_count: int) -> discord.ui.View | None:
    """Previous and Next for page `page` of `page_count`; None when there is one page.

    Previous and Next always lead to different pages, so their custom_ids never clash.
    """
    if page_count <= 1:
        return None
    return two_way(
        make(max(page - 1, 0), False, page == 0),
        make(min(page + 1, page_count - 1), True, page + 1 >= page_count),
    )


def two_way(previous: discord.ui.Item, following: discord.ui.Item) -> discord.ui.View:
    """A view of a Previous and a Next button, for lists that work out their own steps."""
    view = discord.ui.View(timeout=None)
    view.add_item(previous)
    view.add_item(following)
    return view


def page_label(forward: bool) -> str:
    return NEXT if forward else PREVIOUS
