"""cogs/ai/edit_pace.py: refreshes of a streamed answer leave Discord's last edit of the
window to the final edit, so the whole answer is never held back by the refreshes."""

from __future__ import annotations

import pytest

from cogs.ai.edit_pace import EditPace, EditPaces


def test_refreshes_stop_one_short_of_the_budget_and_the_final_edit_goes_at_once() -> None:
    pace = EditPace(limit=5, window=5.0, reserve=1)
    for second in range(4):
        assert pace.may_refresh(float(second))
        pace.note(float(second))
    assert not pace.may_refresh(4.0)  # a fifth refresh would leave the final edit no room
    assert pace.wait_before_final(4.0) == 0.0
    pace.note(4.0)
    assert not pace.may_refresh(5.0)  # the edit of second 0 left; 4 remain, final included
    assert pace.may_refresh(6.0)


def test_a_spent_budget_makes_the_final_edit_wait_for_the_oldest_edit_to_leave() -> None:
    pace = EditPace(limit=5, window=5.0, reserve=1)
    for at in (0.0, 0.5, 1.0, 1.5, 2.0):  # five edits already, e.g. by an earlier answer
        pace.note(at)
    assert pace.wait_before_final(3.0) == pytest.approx(2.0)
    assert pace.wait_before_final(5.0) == 0.0


def test_paces_are_per_channel_and_forgotten_once_idle() -> None:
    paces = EditPaces()
    first = paces.of(1, now=0.0)
    first.note(0.0)
    assert paces.of(1, now=1.0) is first
    assert paces.of(2, now=1.0) is not first
    assert paces.of(2, now=100.0) is not None
    assert paces.of(1, now=100.0) is not first  # idle for a whole window: dropped
