"""A member's answers checked against a form's questions (SPEC §2 "Submission").

Every question is checked, so one refusal lists everything to fix, and the answers that
passed travel with it (`FormAnswersInvalid.valid`) so nothing the member typed is lost.
Cleaned values are plain JSON: str, int/float, bool, list[str], list[dict] for files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from core.errors import DomainError, InvalidInput, Message
from core.form_schema import NUMBER_LIMIT, TEXT_MAX, FormDefinition, Question, QuestionKind
from core.validation import without_nul

EMAIL_MAX = 254
URL_MAX = 2000
FILES_MAX = 10  # Discord's file upload component takes at most 10 files
FILENAME_MAX = 255

# Deliberately simple: one @, no spaces, a dot in the domain. The real check is a reply.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class FormAnswersInvalid(DomainError):
    """Some answers broke their question's rules.

    `errors` maps question id -> rule broken (a `Message` the front end words), `labels`
    maps those ids to the labels the member saw, and `valid` holds the cleaned answers
    that passed, for the front end to keep (pre-fill) while the member fixes only the bad
    ones. `field` is the first bad question's label, like `InvalidInput.field`.
    """

    def __init__(
        self, errors: dict[str, Message], labels: dict[str, str], valid: dict[str, Any]
    ) -> None:
        super().__init__("form.answers_invalid", count=len(errors))
        self.errors = errors
        self.labels = labels
        self.valid = valid
        self.field = labels[next(iter(errors))]


class _Bad(Exception):
    """One answer's rule broken (`rule`), shown after the question's label."""

    def __init__(self, code: str | Message, /, **params: Any) -> None:
        self.rule = code if isinstance(code, Message) else Message(code, **params)
        super().__init__(self.rule.code)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not _strip(value))


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _text(question: Question, value: object, *, multiline: bool, default_max: int) -> str:
    if not isinstance(value, str):
        raise _Bad("input.not_text")
    text = without_nul(value).replace("\r\n", "\n").strip()
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise _Bad("input.control_characters" if multiline else "answer.one_line")
    low = question.min_length or 0
    high = question.max_length if question.max_length is not None else default_max
    if len(text) < low:
        raise _Bad("answer.too_short", min=low, length=len(text))
    if len(text) > high:
        raise _Bad("input.too_long", max=high, length=len(text))
    return text


def _number(question: Question, value: object) -> int | float:
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        rule = Message("answer.number_between", low=_fmt(low), high=_fmt(high))
    elif low is not None:
        rule = Message("answer.number_at_least", low=_fmt(low))
    elif high is not None:
        rule = Message("answer.number_at_most", high=_fmt(high))
    else:
        rule = Message("answer.number")
    if isinstance(value, bool):
        raise _Bad(rule)
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str) or len(value.strip()) > 40:
        raise _Bad(rule)
    text = value.strip()
    if not _NUMBER.match(text):
        raise _Bad(rule)
    try:
        exact = Decimal(text)
    except InvalidOperation:
        raise _Bad(rule) from None
    if abs(exact) > NUMBER_LIMIT:
        raise _Bad(rule)
    if (low is not None and exact < Decimal(str(low))) or (
        high is not None and exact > Decimal(str(high))
    ):
        raise _Bad(rule)
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def _email(question: Question, value: object) -> str:
    text = _text(question, value, multiline=False, default_max=EMAIL_MAX)
    if len(text) > EMAIL_MAX or not _EMAIL.match(text):
        raise _Bad("answer.email")
    return text


def _web_url(value: object, rule: Message) -> str:
    if not isinstance(value, str):
        raise _Bad(rule)
    text = value.strip()
    if len(text) > URL_MAX or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        raise _Bad(rule)
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError when the port is not a number
    except ValueError:
        raise _Bad(rule) from None
    # A host with a dot (or an IPv6 address, or localhost): "https://" alone is no link.
    has_host = "." in host.strip(".") or ":" in host or host == "localhost"
    if parts.scheme.lower() not in ("http", "https") or not has_host:
        raise _Bad(rule)
    return text


def _url(question: Question, value: object) -> str:
    text = _text(question, value, multiline=False, default_max=URL_MAX)
    return _web_url(text, Message("answer.url"))


def _one_of(question: Question) -> dict[str, Any]:
    """The options to name in a refusal (a front end may show only the first few)."""
    return {"choices": list(question.choices or ())}


def _choice(question: Question, value: object) -> str:
    # A select menu hands over a list of one value; other front ends may send the text.
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value.strip() in (question.choices or ()):
        return value.strip()
    raise _Bad("answer.choice", **_one_of(question))


def _multi_choice(question: Question, value: object) -> list[str]:
    picked = [value] if isinstance(value, str) else value
    if not isinstance(picked, list | tuple) or not all(isinstance(p, str) for p in picked):
        raise _Bad("answer.options", **_one_of(question))
    choices = question.choices or ()
    seen: set[str] = set()
    for item in (p.strip() for p in picked):
        if item not in choices:
            raise _Bad("answer.not_an_option", option=item[:100], **_one_of(question))
        if item in seen:
            raise _Bad("input.listed_twice", item=item)
        seen.add(item)
    # Stored in the form's order, so reviewers always read options the same way.
    return [choice for choice in choices if choice in seen]


def _checkbox(question: Question, value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad("answer.checkbox")
    if question.required and not value:
        raise _Bad("answer.must_be_checked")
    return value


def _file(question: Question, value: object) -> list[dict[str, Any]]:
    files = [value] if isinstance(value, Mapping) else value
    rule = Message("answer.file")
    if not isinstance(files, list | tuple):
        raise _Bad(rule)
    if len(files) > FILES_MAX:
        raise _Bad("answer.too_many_files", max=FILES_MAX)
    cleaned = []
    for item in files:
        if not isinstance(item, Mapping):
            raise _Bad(rule)
        name, url, size = item.get("filename"), item.get("url"), item.get("size", 0)
        name = without_nul(name) if isinstance(name, str) else name
        if not isinstance(name, str) or not 0 < len(name.strip()) <= FILENAME_MAX:
            raise _Bad(rule)
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise _Bad(rule)
        cleaned.append({"filename": name.strip(), "url": _web_url(url, rule), "size": size})
    return cleaned


def _clean(question: Question, value: object) -> object:
    match question.kind:
        case QuestionKind.SHORT_TEXT:
            return _text(question, value, multiline=False, default_max=TEXT_MAX)
        case QuestionKind.PARAGRAPH:
            return _text(question, value, multiline=True, default_max=TEXT_MAX)
        case QuestionKind.NUMBER:
            return _number(question, value)
        case QuestionKind.EMAIL:
            return _email(question, value)
        case QuestionKind.URL:
            return _url(question, value)
        case QuestionKind.CHOICE:
            return _choice(question, value)
        case QuestionKind.MULTI_CHOICE:
            return _multi_choice(question, value)
        case QuestionKind.CHECKBOX:
            return _checkbox(question, value)
        case QuestionKind.FILE:
            return _file(question, value)
    raise AssertionError(f"unhandled kind {question.kind}")


def validate_answers(definition: FormDefinition, answers: Mapping[str, object]) -> dict[str, Any]:
    """Return the cleaned answers (unanswered optional questions left out), or raise
    `FormAnswersInvalid` naming every bad answer."""
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers", "answer.not_a_mapping")
    errors: dict[str, Message] = {}
    labels: dict[str, str] = {}
    valid: dict[str, Any] = {}
    for question in definition.questions:
        value = answers.get(question.id)
        if _is_empty(value):
            if question.required:
                errors[question.id] = Message(
                    "answer.must_be_checked"
                    if question.kind is QuestionKind.CHECKBOX
                    else "input.required"
                )
                labels[question.id] = question.label
            continue
        try:
            valid[question.id] = _clean(question, value)
        except _Bad as bad:
            errors[question.id] = bad.rule
            labels[question.id] = question.label
    known = {question.id for question in definition.questions}
    for key in answers:
        if key not in known:
            name = str(key)[:45]
            errors[name] = Message("answer.unknown_question")
            labels[name] = name
    if errors:
        raise FormAnswersInvalid(errors, labels, valid)
    return valid
