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

from core.errors import InvalidInput

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
# A refusal is read by a person in a Discord message: the first problems are enough.
ERRORS_SHOWN = 20
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


def _snowflake(value: object) -> int | None:
    """A Discord id given as a JSON string (safe from float rounding) or integer."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= SNOWFLAKE_MAX:
        return value
    raise ValueError('must be a Discord id like "123456789012345678", or null')


def _question_id(value: object) -> object:
    # Integers are allowed as ids (SPEC §7) and become text, the key of the answers map.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return value


def _finite_number(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:  # also refuses NaN and infinities
        raise ValueError(f"must be between -{NUMBER_LIMIT} and {NUMBER_LIMIT}")
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
            raise ValueError('use lowercase letters, digits, _ and - only (like "your_age")')
        return value

    @field_validator("placeholder")
    @classmethod
    def _placeholder_fits_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = _kind(info)
        if value is not None and kind in NO_PLACEHOLDER_KINDS:
            raise ValueError(f"not used by {kind} questions; remove it")
        return value

    @field_validator("min_length", "max_length")
    @classmethod
    def _lengths_fit_kind(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = _kind(info)
        if value is None or kind is None:
            return value
        if kind not in TEXT_KINDS:
            raise ValueError("only for short_text and paragraph questions")
        low = info.data.get("min_length")
        if info.field_name == "max_length":
            if value < 1:
                raise ValueError("must be at least 1")
            if low is not None and value < low:
                raise ValueError(f"must not be less than min_length ({low})")
        return value

    @field_validator("min_value", "max_value")
    @classmethod
    def _values_fit_kind(cls, value: float | None, info: ValidationInfo) -> float | None:
        kind = _kind(info)
        if value is None or kind is None:
            return value
        if kind is not QuestionKind.NUMBER:
            raise ValueError("only for number questions")
        low = info.data.get("min_value")
        if info.field_name == "max_value" and low is not None and value < low:
            raise ValueError(f"must not be less than min_value ({low})")
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
            raise ValueError(
                f"required for {kind} questions: a list of {CHOICES_MIN} to {CHOICES_MAX} options"
            )
        if kind not in CHOICE_KINDS and value is not None:
            raise ValueError("only for choice and multi_choice questions")
        if value is not None:
            seen: set[str] = set()
            for choice in value:
                # Options differing only in case look the same in a select menu.
                if choice.casefold() in seen:
                    raise ValueError(f"lists {choice!r} twice")
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
            raise ValueError("; ".join(f"{path}: {message}" for path, message in problems))
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
    """A definition broke the schema; `errors` holds (path, rule) pairs, all of them."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = tuple(errors)
        lines = [f"{path}: {message}" for path, message in errors[:ERRORS_SHOWN]]
        if len(errors) > ERRORS_SHOWN:
            lines.append(f"… and {len(errors) - ERRORS_SHOWN} more")
        if len(lines) == 1:
            text = lines[0]
        else:
            text = f"{len(errors)} problems:\n" + "\n".join(f"- {line}" for line in lines)
        super().__init__("definition", text)


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "definition"


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    allowed = QUESTION_KEYS if len(loc) > 1 else DEFINITION_KEYS
    message = "unknown key"
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return f"{message}; allowed keys: {', '.join(allowed)}"


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"])
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"at most {ctx['max_length']} characters"
    if kind == "too_short":
        return f"must have at least {ctx['min_length']} item(s)"
    if kind == "too_long":
        return f"must have at most {ctx['max_length']} items"
    if kind == "string_type":
        return "must be text (in double quotes)"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}"
    if kind == "enum":
        return f"must be one of {', '.join(QuestionKind)}"
    if kind in ("tuple_type", "list_type"):
        return "must be a list [...]"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be an object {...}"
    return str(error["msg"])


def _duplicate_ids(ids: list[object]) -> list[tuple[str, str]]:
    first: dict[object, int] = {}
    problems = []
    for index, question_id in enumerate(ids):
        if question_id in first:
            problems.append(
                (
                    f"questions[{index}].id",
                    f"duplicate id {question_id!r} (also used by questions[{first[question_id]}])",
                )
            )
        else:
            first[question_id] = index
    return problems


def _raw_duplicate_ids(data: dict[str, Any]) -> list[tuple[str, str]]:
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
            raise InvalidInput("definition", f"too large (at most {RAW_MAX_BYTES // 1000} KB)")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("definition", "not UTF-8 text; save the file as UTF-8") from None
    if len(raw) > RAW_MAX_BYTES:
        raise InvalidInput("definition", f"too large (at most {RAW_MAX_BYTES // 1000} KB)")
    try:
        return json.loads(raw.removeprefix("\ufeff"), parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "definition",
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None
    except (ValueError, RecursionError) as error:
        raise InvalidInput("definition", f"not valid JSON ({error})") from None


def parse_definition(raw: bytes | str | dict[str, Any]) -> FormDefinition:
    """Parse an uploaded definition; raise `InvalidInput` listing every problem by path."""
    data = raw if isinstance(raw, dict) else _load_json(raw)
    if not isinstance(data, dict):
        raise InvalidInput("definition", "must be a JSON object {...} with a title and questions")
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
    """A stored definition as an editable file (for `/forms edit`)."""
    return json.dumps(definition.export(), indent=2, ensure_ascii=False) + "\n"
