"""The wording catalogue covers every code the desk raises, and only those.

Codes are found in the source (an `ast` walk): the string given as the code to a domain
error, a `Message`, a rule of a form answer or definition, or a `require_staff` guard.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core.errors import FeatureDisabled, Message
from core.form_schema import DefinitionInvalid
from tests.test_core_is_front_end_neutral import DISCORD_SYNTAX
from wording.catalogue import CATALOGUE, error_text, say, say_plain

ROOT = Path(__file__).resolve().parents[1]

# Callable name -> index of its code argument.
CODE_ARGUMENT = {
    "Message": 0,
    "DomainError": 0,
    "NotFound": 0,
    "Forbidden": 0,
    "InvalidTransition": 0,
    "FeatureDisabled": 0,
    "NotConfigured": 0,
    "LimitReached": 0,
    "Unauthorized": 0,
    "TooManyRequests": 0,
    "Said": 0,
    "DraftUnavailable": 0,
    "FormAnswersInvalid": None,
    "_Bad": 0,
    "_Rule": 0,
    "InvalidInput": 1,
    "ForeignOption": 1,
    "require_staff": 1,
    "_triage": 2,
}
LAYOUT = {"field", "list.item", "list.more", "list.some_more"}
# Raised through a constructor that adds its own code.
IMPLIED = {"form.answers_invalid", "definition.invalid"}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for package in ("core", "cogs", "api"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                index = CODE_ARGUMENT.get(_name(node))
                if index is not None and len(node.args) > index:
                    found.update(_strings(node.args[index]))
    return found


def test_every_code_raised_has_a_wording() -> None:
    assert sorted(codes_in_source() - set(CATALOGUE)) == []


def test_every_wording_is_for_a_code_in_use() -> None:
    assert sorted(set(CATALOGUE) - codes_in_source() - LAYOUT - IMPLIED) == []


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_the_plain_sentence_has_no_discord_syntax(code: str) -> None:
    text = CATALOGUE[code].text
    assert not any(pattern.search(text) for pattern in DISCORD_SYNTAX.values()), text


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_both_sentences_name_the_same_facts(code: str) -> None:
    wording = CATALOGUE[code]
    if wording.discord is None:
        return

    def names(template: str) -> set[str]:
        return {re.split(r"[!:]", field)[0] for field in re.findall(r"{([^{}]+)}", template)}

    # Discord may add an id to mention; it never drops a fact the plain sentence names.
    assert names(wording.text) <= names(wording.discord)


def test_feature_flag_refusal_is_the_spec_sentence() -> None:
    refusal = FeatureDisabled("feature.disabled", feature="ticketing")
    assert error_text(refusal) == (
        "Ticketing is disabled on this server. An admin can turn it on with "
        "`/admin feature name:ticketing enabled:True`."
    )
    assert error_text(refusal, plain=True) == (
        "Ticketing is disabled on this server. An admin can turn it on."
    )


def test_mentions_only_in_the_discord_sentence() -> None:
    reviewed = Message(
        "submission.already_reviewed_by", submission_id=3, status="accepted", reviewer_id=50
    )
    assert say(reviewed) == "Submission #3 was already accepted by <@50>; nothing was changed."
    assert "<@" not in say_plain(reviewed)


def test_a_long_list_of_definition_problems_is_cut_short() -> None:
    problems = [(f"questions[{i}].id", Message("input.required")) for i in range(25)]
    lines = error_text(DefinitionInvalid(problems)).splitlines()
    assert lines[0] == "definition: 25 problems:"
    assert lines[1] == "- questions[0].id: is required"
    assert lines[-1] == "- … and 5 more"
    assert len(lines) == 22


def test_an_unknown_code_is_still_said() -> None:
    assert say(Message("no.such_code", n=1)) == "no.such_code (n=1)"
