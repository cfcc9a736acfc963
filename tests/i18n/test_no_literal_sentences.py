"""No sentence reaches a person without passing the translation function.

An `ast` walk of the Discord front end: text given to Discord (message content, embeds,
buttons, modals, the log channel, refusals) must be a call of the translation function
(`t._(...)`, `t.ngettext(...)`, ...) or a value computed elsewhere, never an English literal.
A new reply written as `send_ephemeral(interaction, "Done!")` fails here, named, so it is
marked (and then translated: tests/i18n/test_catalogues.py names what is missing).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Calls that put text in front of people, and which of their arguments is text.
TEXT_ARGUMENTS = {
    "send_ephemeral": (1, ("content",)),
    "refuse": (1, ("refusal", "intro")),
    "give_back": (0, ("refusal",)),
    "send": (0, ("content",)),
    "send_message": (0, ("content",)),
    "edit_message": (None, ("content",)),
    "edit_original_response": (None, ("content",)),
    "log_event": (1, ("line",)),
    "post_in_thread": (1, ("header", "body")),
    "Embed": (None, ("title", "description")),
    "add_field": (None, ("name", "value")),
    "set_footer": (None, ("text",)),
    "Button": (None, ("label",)),
    "TextInput": (None, ("label", "placeholder")),
    "Select": (None, ("placeholder",)),
    "SelectOption": (None, ("label", "description")),
    "Label": (None, ("text", "description")),
    "Choice": (None, ("name",)),
}
# SPEC §7's words, the same in every language.
CONTRACT = {"Priority", "Department", "Status", "…"}
WORDS = re.compile(r"[A-Za-z]{2,}")
# The front end that talks to members; runtime/ talks to the operator's terminal.
SCANNED = ("cogs",)
NOT_SCANNED = ("cogs/runtime",)


def _literal_words(node: ast.AST) -> str | None:
    """The English words in a literal (or an f-string's literal parts), if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    else:
        return None
    if text.strip() in CONTRACT or not WORDS.search(text):
        return None
    return text


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def literal_sentences() -> list[str]:
    found = []
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(NOT_SCANNED):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or _name(node) not in TEXT_ARGUMENTS:
                    continue
                position, keywords = TEXT_ARGUMENTS[_name(node)]
                candidates = [kw.value for kw in node.keywords if kw.arg in keywords]
                if position is not None and len(node.args) > position:
                    candidates.append(node.args[position])
                for candidate in candidates:
                    words = _literal_words(candidate)
                    if words is not None:
                        found.append(f"{relative}:{candidate.lineno}: {words!r}")
    return found


def test_every_sentence_sent_to_discord_is_translated() -> None:
    assert literal_sentences() == [], (
        "mark these with the translation function (t._, t.ngettext; N_ for constants)"
    )
