"""custom_ids are a contract with messages already posted: a button sent last year must
still be understood after an upgrade. Each persistent item's custom_id is pinned here,
and each must read back (from its custom_id alone) as the same item."""

from __future__ import annotations

import discord
import pytest

from cogs import admin, ai, forms, lifecycle, staff, tickets
from cogs.admin.commands import ForgetConfirm
from cogs.ai.buttons import DiscardDraftButton, HumanButton, SendDraftButton, SolvedButton
from cogs.forms.commands import DeleteFormButton
from cogs.forms.modals import NextPageButton
from cogs.forms.review import AcceptButton, RejectButton
from cogs.forms.submissions import SubmissionsPage
from cogs.lifecycle.close_buttons import CloseButton, CloseWithReasonButton, ConfirmCloseButton
from cogs.lifecycle.close_request import CloseRequestCloseButton, CloseRequestKeepButton
from cogs.lifecycle.feedback import CommentButton, RateButton
from cogs.shared.buttons import PersistentButton
from cogs.staff.blocks import BlockedPage
from cogs.staff.tags import TagListPage
from cogs.tickets.pages import PageButton
from cogs.tickets.panel import DepartmentPicker, OpenTicketButton

PINNED = [
    (CloseButton(42), "ticket:close:42"),
    (ConfirmCloseButton(42), "ticket:close-yes:42"),
    (CloseWithReasonButton(42), "ticket:close-why:42"),
    (
        PageButton("list", 2, "open.1.high", label="Next ▶", disabled=False),
        "page:list:2:open.1.high",
    ),
    (PageButton("view", 0, "42.e", label="◀ Previous", disabled=True), "page:view:0:42.e"),
    (OpenTicketButton(), "panel:open"),
    (DepartmentPicker(), "panel:department"),
    (RateButton(42, 5), "feedback:rate:42:5"),
    (CommentButton(42), "feedback:comment:42"),
    (SolvedButton(42), "ai:solved:42"),
    (HumanButton(42), "ai:human:42"),
    (SendDraftButton(42), "ai:send:42"),
    (DiscardDraftButton(42), "ai:discard:42"),
    (DeleteFormButton(3), "form:delete:3"),
    (SubmissionsPage(3, "pending", 1, forward=True, disabled=False), "form:subs:3:pending:1:n"),
    (SubmissionsPage(3, "", 0, forward=False, disabled=True), "form:subs:3::0:p"),
    (NextPageButton(3), "form:next:3:0"),
    (NextPageButton(3, fix=True), "form:next:3:1"),
    (AcceptButton(7), "form:accept:7"),
    (RejectButton(7), "form:reject:7"),
    (ForgetConfirm(99), "admin:forget:99"),
    (CloseRequestCloseButton(12), "close-request:close:12"),
    (CloseRequestKeepButton(12), "close-request:keep:12"),
    (TagListPage(2, label="Next ▶"), "tag:list:2"),
    (BlockedPage(0, label="◀ Previous", disabled=True), "admin:blocked:0"),
]


@pytest.mark.parametrize(("item", "custom_id"), PINNED, ids=[c for _, c in PINNED])
def test_custom_ids_never_change(item: discord.ui.DynamicItem, custom_id: str) -> None:
    assert item.custom_id == custom_id
    match = item.template.fullmatch(custom_id)
    assert match is not None
    if isinstance(item, PersistentButton):
        rebuilt = type(item).from_match(match, item.item)
        assert rebuilt.custom_id == custom_id
        assert rebuilt.item.label == item.item.label


def test_every_persistent_item_is_pinned_and_registered() -> None:
    registered = {
        *tickets.PERSISTENT_ITEMS,
        *lifecycle.PERSISTENT_ITEMS,
        *ai.PERSISTENT_ITEMS,
        *forms.PERSISTENT_ITEMS,
        *admin.PERSISTENT_ITEMS,
        *staff.PERSISTENT_ITEMS,
    }
    assert registered == {type(item) for item, _ in PINNED}


def test_templates_do_not_overlap() -> None:
    for item, custom_id in PINNED:
        claimed = [
            type(other).__name__ for other, _ in PINNED if other.template.fullmatch(custom_id)
        ]
        assert set(claimed) == {type(item).__name__}, custom_id


def test_a_mangled_number_still_reaches_its_button() -> None:
    # Read as ticket 0, which the service answers "not found" (cogs/shared/custom_ids.py).
    match = CloseButton(1).template.fullmatch("ticket:close:²")
    assert match is not None
    assert CloseButton.from_match(match, CloseButton(1).item).target_id == 0
