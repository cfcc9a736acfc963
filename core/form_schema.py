"""The form definition an admin uploads (SPEC §7): its shape, its rules, its errors.

Limits follow Discord's modal components, so a definition that passes here can always be
shown: a modal title and a label are at most 45 characters, a text input holds at most
4000, a placeholder at most 100, a select menu at most 25 options of 100 characters.
"""

from __future__ import annotations

import difflib
import json
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from core.errors import InvalidInput, Message

TITLE_MAX = 45
LABEL_MAX = 45
DESCRIPTION_MAX = 4000
PLACEHOLDER_MAX = 100
TEXT_MAX = 4000
QUESTION_ID_MAX = 100
QUESTIONS_MAX = 25
CHOICES_MIN, CHOICES_MAX, CHOICE_MAX_LENGTH = 2, 25, 100
SUBMISSIONS_MIN, SUBMISSIONS_MAX, SUBMISSIONS_DEFAULT = 1, 100, 5
# Bigger numbers lose precision as JSON floats; no form needs them.
NUMBER_LIMIT = 10**15
# A definition is a small hand-written file; anything bigger is a mistake or abuse.
RAW_MAX_BYTES = 100_000
SNOWFLAKE_MAX = 2**63 - 1

_QUESTION_ID = re.compile(r"^[a-z0-9_-]+$")


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    PARAGRAPH = "paragraph"
    NUMBER = "number"
    EMAIL = "email"
    URL = "url"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    CHECKBOX = "checkbox"
    FILE = "file"


TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.PARAGRAPH})
CHOICE_KINDS = frozenset({QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE})
# Checkboxes and file uploads have no text to hint at.
NO_PLACEHOLDER_KINDS = frozenset({QuestionKind.CHECKBOX, QuestionKind.FILE})


class _Rule(ValueError):
    """A validator's refusal, as a `Message` for the front end to word (pydantic keeps the
    exception, so `parse_definition` gets the message back)."""

    def __init__(self, code: str | Message, /, **params: Any) -> None:
        self.rule = code if isinstance(code, Message) else Message(code, **params)
        super().__init__(str(self.rule))


def _snowflake(value: object) -> int | None:
    """A Discord id given as a JSON string (safe from float rounding) or integer."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= SNOWFLAKE_MAX:
        return value
    raise _Rule("definition.snowflake")


def _question_id(value: object) -> object:
    # Integers are allowed as ids (SPEC §7) and become text, the key of the answers map.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return value


def _finite_number(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Rule("definition.number")
    if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:  # also refuses NaN and infinities
        raise _Rule("input.between", low=-NUMBER_LIMIT, high=NUMBER_LIMIT)
    return value


Snowflake = Annotated[int | None, BeforeValidator(_snowflake)]
Number = Annotated[int | float | None, BeforeValidator(_finite_number)]
ChoiceText = Annotated[StrictStr, Field(min_length=1, max_length=CHOICE_MAX_LENGTH)]
TextLimit = Annotated[StrictInt | None, Field(ge=0, le=TEXT_MAX)]

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _kind(info: ValidationInfo) -> QuestionKind | None:
    # None when the kind itself was invalid: that error is reported on its own.
    return info.data.get("kind")


class Question(BaseModel):
    model_config = _STRICT

    id: Annotated[
        StrictStr, BeforeValidator(_question_id), Field(min_length=1, max_length=QUESTION_ID_MAX)
    ]
    label: Annotated[StrictStr, Field(min_length=1, max_length=LABEL_MAX)]
    kind: QuestionKind
    required: StrictBool = False
    placeholder: Annotated[StrictStr | None, Field(max_length=PLACEHOLDER_MAX)] = None
    min_length: TextLimit = None
    max_length: TextLimit = None
    min_value: Number = None
    max_value: Number = None
    choices: Annotated[
        tuple[ChoiceText, ...] | None,
        Field(validate_default=True, min_length=CHOICES_MIN, max_length=CHOICES_MAX),
    ] = None

    @field_validator("id")
    @classmethod
    def _id_pattern(cls, value: str) -> str:
        if not _QUESTION_ID.match(value):
            raise _Rule("definition.question_id")
        return value

    @field_validator("placeholder")
    @classmethod
    def _placeholder_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = _kind(info)
        if value is not None and kind in NO_PLACEHOLDER_KINDS:
            raise _Rule("definition.no_placeholder", kind=kind.value)
        return value

    @field_validator("min_length", "max_length")
    @classmethod
    def _lengths_fit_kind(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = _kind(info)
        if value is None or kind is None:
            return value
        if kind not in TEXT_KINDS:
            raise _Rule("definition.text_only")
        low = info.data.get("min_length")
        if info.field_name == "max_length":
            if value < 1:
                raise _Rule("input.at_least", min=1)
            if low is not None and value < low:
                raise _Rule("definition.below_minimum", key="min_length", minimum=low)
        return value

    @field_validator("min_value", "max_value")
    @classmethod
    def _values_fit_kind(cls, value: float | None, info: ValidationInfo) -> float | None:
        kind = _kind(info)
        if value is None or kind is None:
            return value
        if kind is not QuestionKind.NUMBER:
            raise _Rule("definition.number_only")
        low = info.data.get("min_value")
        if info.field_name == "max_value" and low is not None and value < low:
            raise _Rule("definition.below_minimum", key="min_value", minimum=low)
        return value

    @field_validator("choices")
    @classmethod
    def _choices_fit_kind(
        cls, value: tuple[str, ...] | None, info: ValidationInfo
    ) -> tuple[str, ...] | None:
        kind = _kind(info)
        if kind is None:
            return value
        if kind in CHOICE_KINDS and value is None:
            raise _Rule(
                "definition.choices_required", kind=kind.value, min=CHOICES_MIN, max=CHOICES_MAX
            )
        if kind not in CHOICE_KINDS and value is not None:
            raise _Rule("definition.choices_only")
        if value is not None:
            seen: set[str] = set()
            for choice in value:
                # Options differing only in case look the same in a select menu.
                if choice.casefold() in seen:
                    raise _Rule("input.listed_twice", item=choice)
                seen.add(choice.casefold())
        return value


class FormDefinition(BaseModel):
    model_config = _STRICT

    title: Annotated[StrictStr, Field(min_length=1, max_length=TITLE_MAX)]
    description: Annotated[StrictStr, Field(max_length=DESCRIPTION_MAX)] = ""
    active: StrictBool = True
    max_submissions_per_user: Annotated[
        StrictInt, Field(ge=SUBMISSIONS_MIN, le=SUBMISSIONS_MAX)
    ] = SUBMISSIONS_DEFAULT
    review_channel_id: Snowflake = None
    accept_role_id: Snowflake = None
    required_role_id: Snowflake = None
    questions: Annotated[tuple[Question, ...], Field(min_length=1, max_length=QUESTIONS_MAX)]

    @field_validator("questions")
    @classmethod
    def _unique_ids(cls, questions: tuple[Question, ...]) -> tuple[Question, ...]:
        problems = _duplicate_ids([q.id for q in questions])
        if problems:
            raise _Rule(problems[0][1])  # all of them are reported from the raw data
        return questions

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def export(self) -> dict[str, Any]:
        """The definition as an admin would write it: ids as strings, unset keys left out."""
        data = self.model_dump(mode="json")
        for key in ("review_channel_id", "accept_role_id", "required_role_id"):
            if data[key] is not None:
                data[key] = str(data[key])
        data["questions"] = [
            {k: v for k, v in q.items() if v is not None} for q in data["questions"]
        ]
        return data


# -- parsing and error messages ----------------------------------------------------------

DEFINITION_KEYS = tuple(FormDefinition.model_fields)
QUESTION_KEYS = tuple(Question.model_fields)


class DefinitionInvalid(InvalidInput):
    """A definition broke the schema; `errors` holds (path, rule) pairs, all of them (the
    front end words each rule and decides how many to show)."""

    def __init__(self, errors: list[tuple[str, Message]]) -> None:
        self.errors = tuple(errors)
        super().__init__("definition", "definition.invalid", count=len(errors))


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "definition"


def _unknown_key(loc: tuple[int | str, ...]) -> Message:
    allowed = list(QUESTION_KEYS if len(loc) > 1 else DEFINITION_KEYS)
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return Message("definition.unknown_key_like", like=close[0], allowed=allowed)
    return Message("definition.unknown_key", allowed=allowed)


def _message(error: Any) -> Message:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return Message("input.required")
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"])
    if kind == "value_error":
        refusal = ctx.get("error")
        if isinstance(refusal, _Rule):
            return refusal.rule
        return Message("definition.other", detail=str(refusal or error["msg"]))
    if kind == "string_too_short":
        return Message("input.empty")
    if kind == "string_too_long":
        return Message("definition.max_characters", max=ctx["max_length"])
    if kind == "too_short":
        return Message("definition.min_items", min=ctx["min_length"])
    if kind == "too_long":
        return Message("definition.max_items", max=ctx["max_length"])
    if kind == "string_type":
        return Message("definition.not_text")
    if kind in ("bool_type", "bool_parsing"):
        return Message("definition.not_bool")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Message("definition.not_whole_number")
    if kind == "greater_than_equal":
        return Message("input.at_least", min=ctx["ge"])
    if kind == "less_than_equal":
        return Message("input.at_most", max=ctx["le"])
    if kind == "enum":
        return Message("input.one_of", choices=[k.value for k in QuestionKind])
    if kind in ("tuple_type", "list_type"):
        return Message("definition.not_list")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Message("definition.not_object")
    return Message("definition.other", detail=str(error["msg"]))


def _duplicate_ids(ids: list[object]) -> list[tuple[str, Message]]:
    first: dict[object, int] = {}
    problems = []
    for index, question_id in enumerate(ids):
        if question_id in first:
            problems.append(
                (
                    f"questions[{index}].id",
                    Message("definition.duplicate_id", id=question_id, first=first[question_id]),
                )
            )
        else:
            first[question_id] = index
    return problems


def _raw_duplicate_ids(data: dict[str, Any]) -> list[tuple[str, Message]]:
    # Checked on the raw data too, so a duplicate is reported with the other mistakes
    # instead of only after every question is otherwise valid.
    questions = data.get("questions")
    if not isinstance(questions, list):
        return []
    ids: list[object] = []
    for question in questions:
        question_id = _question_id(question.get("id")) if isinstance(question, dict) else None
        # Anything that is not text can't collide; a fresh object never equals another.
        ids.append(question_id.strip() if isinstance(question_id, str) else object())
    return _duplicate_ids(ids)


def _spurious_too_short(error: Any) -> bool:
    # pydantic counts only the valid items of a tuple, so bad items also report "too
    # short"; the items' own errors already say what is wrong.
    given = error.get("input")
    return (
        error["type"] == "too_short"
        and isinstance(given, list | tuple)
        and len(given) >= error["ctx"]["min_length"]
    )


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def _load_json(raw: bytes | str) -> object:
    if isinstance(raw, bytes):
        if len(raw) > RAW_MAX_BYTES:
            raise InvalidInput("definition", "definition.too_large", kb=RAW_MAX_BYTES // 1000)
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("definition", "definition.not_utf8") from None
    if len(raw) > RAW_MAX_BYTES:
        raise InvalidInput("definition", "definition.too_large", kb=RAW_MAX_BYTES // 1000)
    try:
        return json.loads(raw.removeprefix("\ufeff"), parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "definition",
            "definition.bad_json_at",
            line=error.lineno,
            column=error.colno,
            detail=error.msg,
        ) from None
    except (ValueError, RecursionError) as error:
        raise InvalidInput("definition", "definition.bad_json", detail=str(error)) from None


def parse_definition(raw: bytes | str | dict[str, Any]) -> FormDefinition:
    """Parse an uploaded definition; raise `InvalidInput` listing every problem by path."""
    data = raw if isinstance(raw, dict) else _load_json(raw)
    if not isinstance(data, dict):
        raise InvalidInput("definition", "definition.not_a_json_object")
    try:
        return FormDefinition.model_validate(data)
    except ValidationError as error:
        errors: list[tuple[str, str]] = []
        for item in error.errors(include_url=False):
            if item["type"] == "value_error" and item["loc"] == ("questions",):
                continue  # duplicates: reported below from the raw data, one per line
            if _spurious_too_short(item):
                continue
            errors.append((_path(item["loc"]), _message(item)))
        errors += [e for e in _raw_duplicate_ids(data) if e not in errors]
        raise DefinitionInvalid(errors) from None


def definition_json(definition: FormDefinition) -> str:
    """A stored definition as an editable file (for editing it and uploading it again)."""
    return json.dumps(definition.export(), indent=2, ensure_ascii=False) + "\n"
