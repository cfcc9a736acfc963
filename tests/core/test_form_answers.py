"""A member's answers against the questions: each kind, every error at once, nothing lost."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.form_answers import FormAnswersInvalid, validate_answers
from core.form_schema import FormDefinition, parse_definition
from core.form_template import TEMPLATE_DEFINITION
from tests.core.said import raises_worded, words

DEFINITION = parse_definition(
    {
        "title": "Mod application",
        "questions": [
            {"id": "name", "label": "Your name", "kind": "short_text", "required": True,
             "min_length": 2, "max_length": 20},
            {"id": "about", "label": "About you", "kind": "paragraph"},
            {"id": "age", "label": "Your age", "kind": "number", "required": True,
             "min_value": 13, "max_value": 120},
            {"id": "score", "label": "Score", "kind": "number"},
            {"id": "email", "label": "Email", "kind": "email"},
            {"id": "site", "label": "Website", "kind": "url"},
            {"id": "tz", "label": "Timezone", "kind": "choice", "required": True,
             "choices": ["UTC-5", "UTC", "UTC+1"]},
            {"id": "areas", "label": "Areas", "kind": "multi_choice",
             "choices": ["Mod", "Support", "Events"]},
            {"id": "rules", "label": "I read the rules", "kind": "checkbox", "required": True},
            {"id": "newsletter", "label": "Newsletter", "kind": "checkbox"},
            {"id": "cv", "label": "CV", "kind": "file"},
        ],
    }
)  # fmt: skip

GOOD: dict[str, Any] = {
    "name": "  Jane  ",
    "about": "Line one\r\nLine two",
    "age": "27",
    "score": "3.5",
    "email": "jane@example.com",
    "site": "https://example.com/me",
    "tz": ["UTC"],  # a select menu's values
    "areas": ["Events", "Mod"],
    "rules": True,
    "newsletter": False,
    "cv": {"filename": "cv.pdf", "url": "https://cdn.discordapp.com/a/cv.pdf", "size": 1200},
}


def errors_for(**changes: Any) -> dict[str, str]:
    answers = {**GOOD, **changes}
    answers = {key: value for key, value in answers.items() if value is not ...}
    with pytest.raises(FormAnswersInvalid) as caught:
        validate_answers(DEFINITION, answers)
    return {question: words(rule) for question, rule in caught.value.errors.items()}


def test_good_answers_are_cleaned() -> None:
    cleaned = validate_answers(DEFINITION, GOOD)
    assert cleaned == {
        "name": "Jane",
        "about": "Line one\nLine two",
        "age": 27,
        "score": 3.5,
        "email": "jane@example.com",
        "site": "https://example.com/me",
        "tz": "UTC",
        "areas": ["Mod", "Events"],  # the form's order
        "rules": True,
        "newsletter": False,
        "cv": [{"filename": "cv.pdf", "url": "https://cdn.discordapp.com/a/cv.pdf", "size": 1200}],
    }
    assert json.loads(json.dumps(cleaned)) == cleaned


def test_optional_questions_may_be_left_out_or_blank() -> None:
    minimal = {"name": "Jo", "age": 13, "tz": "UTC", "rules": True, "about": "   ", "areas": []}
    assert validate_answers(DEFINITION, minimal) == {
        "name": "Jo",
        "age": 13,
        "tz": "UTC",
        "rules": True,
    }


@pytest.mark.parametrize(
    ("changes", "question", "rule"),
    [
        ({"name": ...}, "name", "is required"),
        ({"name": "   "}, "name", "is required"),
        ({"name": "J"}, "name", "must be at least 2 characters (got 1)"),
        ({"name": "J" * 21}, "name", "must be at most 20 characters (got 21)"),
        ({"name": "Jane\nDoe"}, "name", "must be one line"),
        ({"name": 42}, "name", "must be text"),
        ({"about": "bell\x07"}, "about", "must not contain control characters"),
        ({"age": "twelve"}, "age", "must be a number between 13 and 120"),
        ({"age": "12"}, "age", "must be a number between 13 and 120"),
        ({"age": 121}, "age", "must be a number between 13 and 120"),
        ({"age": True}, "age", "must be a number between 13 and 120"),
        ({"age": "1e3"}, "age", "must be a number between 13 and 120"),
        ({"score": "3,5"}, "score", "must be a number, like 42 or 3.5"),
        ({"score": "nan"}, "score", "must be a number, like 42 or 3.5"),
        ({"email": "jane.example.com"}, "email", "must be an email address"),
        ({"email": "jane@localhost"}, "email", "must be an email address"),
        ({"email": "a b@example.com"}, "email", "must be an email address"),
        ({"site": "example.com"}, "site", "must be a web link starting with http"),
        ({"site": "ftp://example.com"}, "site", "must be a web link starting with http"),
        ({"site": "https://"}, "site", "must be a web link starting with http"),
        ({"site": "http://example.com:port"}, "site", "must be a web link starting with http"),
        ({"tz": "utc"}, "tz", "must be one of: UTC-5, UTC, UTC+1"),
        ({"tz": ["UTC", "UTC+1"]}, "tz", "must be one of: UTC-5, UTC, UTC+1"),
        ({"tz": ...}, "tz", "is required"),
        ({"areas": ["Mod", "Cooking"]}, "areas", "'Cooking' is not an option"),
        ({"areas": ["Mod", "Mod"]}, "areas", "lists 'Mod' twice"),
        ({"areas": [1]}, "areas", "must be a list of options"),
        ({"rules": False}, "rules", "must be checked"),
        ({"rules": ...}, "rules", "must be checked"),
        ({"rules": "yes"}, "rules", "must be checked or unchecked"),
        ({"cv": "cv.pdf"}, "cv", "must be an uploaded file"),
        ({"cv": {"filename": "x", "url": "javascript:alert(1)"}}, "cv", "must be an uploaded file"),
        ({"cv": [{"filename": "x", "url": "https://a.b/x"}] * 11}, "cv", "at most 10 files"),
        ({"surprise": "hi"}, "surprise", "is not a question of this form"),
    ],
)
def test_bad_answer_names_the_question_and_the_rule(
    changes: dict[str, Any], question: str, rule: str
) -> None:
    errors = errors_for(**changes)
    assert list(errors) == [question]
    assert rule in errors[question]


def test_message_names_each_question_by_label_and_keeps_the_valid_answers() -> None:
    answers = {**GOOD, "age": "200", "email": "nope", "tz": "Mars"}
    with pytest.raises(FormAnswersInvalid) as caught:
        validate_answers(DEFINITION, answers)
    error = caught.value
    assert words(error).splitlines() == [
        "Your age: must be a number between 13 and 120",
        "Email: must be an email address, like name@example.com",
        "Timezone: must be one of: UTC-5, UTC, UTC+1",
    ]
    assert error.field == "Your age"
    assert set(error.errors) == {"age", "email", "tz"}
    # Everything else passed and travels with the error, cleaned, for the front end to keep.
    assert error.valid["name"] == "Jane"
    assert error.valid["areas"] == ["Mod", "Events"]
    assert set(error.valid) == set(GOOD) - {"age", "email", "tz"}


def test_single_file_and_list_of_files_are_both_accepted() -> None:
    file = {"filename": "a.png", "url": "https://cdn.discordapp.com/a.png", "size": 3}
    assert validate_answers(DEFINITION, {**GOOD, "cv": [file, file]})["cv"] == [file, file]


def test_answers_must_be_a_mapping() -> None:
    with raises_worded(DomainError, match="answers"):
        validate_answers(DEFINITION, ["name"])  # type: ignore[arg-type]


# -- property: any answers pass (cleanly, stably) or raise a DomainError -----------------

TEMPLATE = FormDefinition.model_validate(TEMPLATE_DEFINITION)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
plausible = (
    json_values
    | st.from_regex(r"[+-]?\d{1,4}(\.\d{1,3})?", fullmatch=True)
    | st.sampled_from(["UTC", "Mod", "a@b.co", "https://x.y/z", "Moderation", "Events"])
    | st.lists(st.sampled_from(["Moderation", "Events", "Mod", "x"]), max_size=4)
    | st.fixed_dictionaries(
        {"filename": st.text(max_size=10), "url": st.sampled_from(["https://a.b/c", "x"])},
        optional={"size": st.integers(-1, 10)},
    )
)
keys = st.sampled_from([q.id for q in DEFINITION.questions + TEMPLATE.questions]) | st.text(
    max_size=8
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([DEFINITION, TEMPLATE]), st.dictionaries(keys, plausible, max_size=12))
def test_any_answers_pass_or_raise_a_domain_error(
    definition: FormDefinition, answers: dict[str, Any]
) -> None:
    try:
        cleaned = validate_answers(definition, answers)
    except FormAnswersInvalid as error:
        assert error.errors and str(error)
        assert not set(error.valid) & set(error.errors)
        json.dumps(error.valid)
    except DomainError:
        pass
    else:
        # Cleaned answers are plain JSON and are themselves valid, unchanged.
        assert json.loads(json.dumps(cleaned)) == cleaned
        assert validate_answers(definition, cleaned) == cleaned
