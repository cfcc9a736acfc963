"""Every modal is answered by the router, and refusals give back what was typed.

The E2E tests in tests/e2e/test_modals.py drive this through the real bot; these catch a
new modal that bypasses the router, and a discord.py upgrade that would store ours again.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import discord

import cogs
from cogs.forms.sessions import SessionStore
from cogs.shared.modals import RoutedModal
from cogs.shared.submitted import Submitted
from cogs.shared.text import GIVE_BACK_FILE, MESSAGE_LIMIT, give_back
from tests.e2e.test_forms import _form_model, seven_questions


def _modal_classes() -> list[type]:
    for info in pkgutil.walk_packages(cogs.__path__, "cogs."):
        importlib.import_module(info.name)
    found, todo = [], [discord.ui.Modal]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("cogs."):
                found.append(sub)
    return found


def test_every_modal_in_cogs_is_routed() -> None:
    modals = _modal_classes()
    assert modals, "no modals found: the search is broken"
    for modal in modals:
        if modal is RoutedModal:
            continue
        assert issubclass(modal, RoutedModal), f"{modal.__name__} would be kept by discord.py"
        assert modal in RoutedModal.routes, f"{modal.__name__} has no custom_id template"


def test_discord_py_keeps_no_finished_modal() -> None:
    # RoutedModal.show relies on this line of InteractionResponse.send_modal.
    source = inspect.getsource(discord.InteractionResponse.send_modal)
    assert "if not modal.is_finished():" in source


def test_templates_do_not_overlap() -> None:
    _modal_classes()  # modals register their templates when their module is imported
    ids = {
        "panel:modal:0:0123456789ab": "TicketModal",
        "ticket:close-modal:4:0123456789ab": "CloseReasonModal",
        "feedback:comment-modal:4:0123456789ab": "CommentModal",
        "form:reject-modal:4:0123456789ab": "RejectModal",
        "form:page:4:1:0123456789ab": "FormPageModal",
    }
    for custom_id, name in ids.items():
        matching = [m.__name__ for m in RoutedModal.routes if m.pattern.fullmatch(custom_id)]
        assert matching == [name]


def test_submitted_reads_every_kind_of_input() -> None:
    data = {
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "subject", "value": "Hi"}]},
            {"type": 18, "component": {"type": 3, "custom_id": "tz", "values": ["UTC"]}},
            {"type": 18, "component": {"type": 23, "custom_id": "rules", "value": True}},
            {"type": 18, "component": {"type": 19, "custom_id": "cv", "values": ["7"]}},
        ],
        "resolved": {"attachments": {"7": {"filename": "cv.pdf", "url": "u", "size": 3}}},
    }
    values = Submitted(data)
    assert values.ids() == {"subject", "tz", "rules", "cv"}
    assert values.text("subject") == "Hi" and values.choices("tz") == ["UTC"]
    assert values.checked("rules") and not values.checked("subject")
    assert values.files("cv") == [{"filename": "cv.pdf", "url": "u", "size": 3}]
    assert values.typed() == [("subject", "Hi")]


def test_give_back_quotes_what_fits_and_attaches_the_rest() -> None:
    content, file = give_back("No.", [("subject", "Printer"), ("message", "On fire")])
    assert file is None and "subject:\n```\nPrinter\n```" in content
    long = "x" * 4000
    content, file = give_back("No.", [("subject", "Printer"), ("message", long)])
    assert file is not None and file.filename == GIVE_BACK_FILE
    assert len(content) <= MESSAGE_LIMIT and GIVE_BACK_FILE in content
    assert file.fp.read().decode() == f"subject:\nPrinter\n\nmessage:\n{long}"
    # A fence in the text would cut a quote short: the file keeps it exactly.
    content, file = give_back("No.", [("message", "a ``` b")])
    assert file is not None and file.fp.read().decode() == "a ``` b"
    assert give_back("No.", [("message", "  ")]) == ("No.", None)


def test_time_spent_typing_in_an_open_page_does_not_expire_the_session() -> None:
    now = [0.0]
    store = SessionStore(ttl=10, clock=lambda: now[0], typing_ttl=100)
    form = _form_model(seven_questions())
    store.start(1, form).typing = True  # a page is open in front of member 1
    store.start(2, form)  # member 2 is between pages
    now[0] += 11
    assert store.get(2, form.id) is None
    assert store.get(1, form.id) is not None
    now[0] += 101
    assert store.get(1, form.id) is None
