"""The form definition file (SPEC §7): good files parse, bad ones are refused by path."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError, InvalidInput
from core.form_schema import (
    QUESTIONS_MAX,
    DefinitionInvalid,
    FormDefinition,
    QuestionKind,
    definition_json,
    parse_definition,
)
from core.form_template import TEMPLATE_DEFINITION, template_json
from tests.core.said import words

SPEC_EXAMPLE = """{
  "title": "Moderator application",
  "description": "Tell us about yourself.",
  "active": true,
  "max_submissions_per_user": 5,
  "review_channel_id": "123456789012345678",
  "accept_role_id": "234567890123456789",
  "required_role_id": null,
  "questions": [
    {"id": "name", "label": "Your name", "kind": "short_text", "required": true,
     "placeholder": "Jane Doe", "min_length": 2, "max_length": 60},
    {"id": "age", "label": "Your age", "kind": "number", "required": true,
     "min_value": 13, "max_value": 120},
    {"id": "tz", "label": "Your timezone", "kind": "choice", "required": true,
     "choices": ["UTC-5", "UTC", "UTC+1"]}
  ]
}"""


def spec_example() -> dict[str, Any]:
    return json.loads(SPEC_EXAMPLE)


def refusal(data: Any) -> str:
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    with pytest.raises(InvalidInput) as caught:
        parse_definition(raw)
    return words(caught.value)


def test_spec_example_parses_with_ids_as_numbers() -> None:
    definition = parse_definition(SPEC_EXAMPLE)
    assert definition.title == "Moderator application"
    assert definition.review_channel_id == 123456789012345678
    assert definition.accept_role_id == 234567890123456789
    assert definition.required_role_id is None
    assert [q.id for q in definition.questions] == ["name", "age", "tz"]
    assert definition.questions[2].choices == ("UTC-5", "UTC", "UTC+1")


def test_omitted_keys_take_their_defaults() -> None:
    definition = parse_definition(
        '{"title": "T", "questions": [{"id": "q", "label": "Q", "kind": "paragraph"}]}'
    )
    assert definition.active is True
    assert definition.max_submissions_per_user == 5
    assert definition.review_channel_id is None
    assert definition.description == ""
    assert definition.questions[0].required is False


def test_ids_may_be_integers() -> None:
    data = spec_example()
    data["review_channel_id"] = 123456789012345678
    data["questions"][0]["id"] = 7
    definition = parse_definition(json.dumps(data))
    assert definition.review_channel_id == 123456789012345678
    assert definition.questions[0].id == "7"


def test_bytes_with_a_byte_order_mark_parse() -> None:
    assert parse_definition(b"\xef\xbb\xbf" + SPEC_EXAMPLE.encode()).title


def _edit(change) -> dict[str, Any]:
    data = spec_example()
    change(data)
    return data


BAD_DEFINITIONS = {
    "long label": (
        _edit(lambda d: d["questions"][1].update(label="x" * 46)),
        "questions[1].label: at most 45 characters",
    ),
    "long title": (_edit(lambda d: d.update(title="x" * 46)), "title: at most 45 characters"),
    "blank title": (_edit(lambda d: d.update(title="  ")), "title: must not be empty"),
    "missing title": (_edit(lambda d: d.pop("title")), "title: is required"),
    "unknown top-level key": (
        _edit(lambda d: d.update(titel="x")),
        "titel: unknown key (did you mean 'title'?)",
    ),
    "unknown question key": (
        _edit(lambda d: d["questions"][0].update(lable="x")),
        "questions[0].lable: unknown key (did you mean 'label'?)",
    ),
    "duplicate id": (
        _edit(lambda d: d["questions"][2].update(id="name")),
        "questions[2].id: duplicate id 'name' (also used by questions[0])",
    ),
    "choice without choices": (
        _edit(lambda d: d["questions"][2].pop("choices")),
        "questions[2].choices: required for choice questions",
    ),
    "choices on a text question": (
        _edit(lambda d: d["questions"][0].update(choices=["a", "b"])),
        "questions[0].choices: only for choice and multi_choice questions",
    ),
    "one choice only": (
        _edit(lambda d: d["questions"][2].update(choices=["a"])),
        "questions[2].choices: must have at least 2",
    ),
    "repeated choice": (
        _edit(lambda d: d["questions"][2].update(choices=["UTC", "utc"])),
        "questions[2].choices: lists 'utc' twice",
    ),
    "long choice": (
        _edit(lambda d: d["questions"][2].update(choices=["a", "b" * 101])),
        "questions[2].choices[1]: at most 100 characters",
    ),
    "bad kind": (
        _edit(lambda d: d["questions"][0].update(kind="essay")),
        "questions[0].kind: must be one of short_text, paragraph",
    ),
    "empty questions": (
        _edit(lambda d: d.update(questions=[])),
        "questions: must have at least 1",
    ),
    "too many questions": (
        _edit(
            lambda d: d.update(
                questions=[
                    {"id": f"q{i}", "label": "Q", "kind": "checkbox"}
                    for i in range(QUESTIONS_MAX + 1)
                ]
            )
        ),
        f"questions: must have at most {QUESTIONS_MAX}",
    ),
    "length limits on a number": (
        _edit(lambda d: d["questions"][1].update(min_length=1)),
        "questions[1].min_length: only for short_text and paragraph questions",
    ),
    "value limits on text": (
        _edit(lambda d: d["questions"][0].update(max_value=3)),
        "questions[0].max_value: only for number questions",
    ),
    "min above max length": (
        _edit(lambda d: d["questions"][0].update(min_length=10, max_length=5)),
        "questions[0].max_length: must not be less than min_length (10)",
    ),
    "text limit above Discord's": (
        _edit(lambda d: d["questions"][0].update(max_length=4001)),
        "questions[0].max_length: must be at most 4000",
    ),
    "min above max value": (
        _edit(lambda d: d["questions"][1].update(min_value=10, max_value=5)),
        "questions[1].max_value: must not be less than min_value (10)",
    ),
    "placeholder on a checkbox": (
        _edit(
            lambda d: d["questions"].append(
                {"id": "ok", "label": "OK", "kind": "checkbox", "placeholder": "tick"}
            )
        ),
        "questions[3].placeholder: not used by checkbox questions",
    ),
    "long placeholder": (
        _edit(lambda d: d["questions"][0].update(placeholder="p" * 101)),
        "questions[0].placeholder: at most 100 characters",
    ),
    "bad question id": (
        _edit(lambda d: d["questions"][0].update(id="Your Name")),
        "questions[0].id: use lowercase letters, digits, _ and - only",
    ),
    "required as text": (
        _edit(lambda d: d["questions"][0].update(required="yes")),
        "questions[0].required: must be true or false",
    ),
    "limit of zero": (
        _edit(lambda d: d.update(max_submissions_per_user=0)),
        "max_submissions_per_user: must be at least 1",
    ),
    "limit too high": (
        _edit(lambda d: d.update(max_submissions_per_user=101)),
        "max_submissions_per_user: must be at most 100",
    ),
    "bad channel id": (
        _edit(lambda d: d.update(review_channel_id="#reviews")),
        'review_channel_id: must be a Discord id like "123456789012345678", or null',
    ),
    "question not an object": (
        _edit(lambda d: d["questions"].append("name?")),
        "questions[3]: must be an object",
    ),
    "bad JSON": (
        '{\n  "title": "T",\n  "questions" []\n}',
        "definition: not valid JSON (line 3, column 15: Expecting ':' delimiter)",
    ),
    "not an object": ("[1, 2]", "definition: must be a JSON object"),
    "NaN": ('{"title": NaN}', "definition: not valid JSON (NaN is not allowed in JSON)"),
    "not UTF-8": (b"\xff\xfe{}", "definition: not UTF-8 text"),
}


@pytest.mark.parametrize("name", BAD_DEFINITIONS)
def test_bad_definition_is_refused_naming_the_path(name: str) -> None:
    data, expected = BAD_DEFINITIONS[name]
    assert expected in refusal(data)


def test_every_problem_is_listed_at_once() -> None:
    data = spec_example()
    data["titel"] = "x"
    data["questions"][0]["label"] = "x" * 46
    data["questions"][1]["kind"] = "integer"
    data["questions"][2]["id"] = "name"
    with pytest.raises(DefinitionInvalid) as caught:
        parse_definition(json.dumps(data))
    paths = [path for path, _ in caught.value.errors]
    assert sorted(paths) == ["questions[0].label", "questions[1].kind", "questions[2].id", "titel"]
    assert words(caught.value).startswith("definition: 4 problems:")


def test_template_parses_and_uses_every_key_and_kind() -> None:
    definition = parse_definition(template_json())
    assert set(TEMPLATE_DEFINITION) == set(FormDefinition.model_fields)
    assert {q.kind for q in definition.questions} == set(QuestionKind)
    used_keys = {key for q in TEMPLATE_DEFINITION["questions"] for key in q}
    assert used_keys == {
        "id", "label", "kind", "required", "placeholder", "min_length", "max_length",
        "min_value", "max_value", "choices",
    }  # fmt: skip


def test_exported_definition_parses_back_to_the_same() -> None:
    definition = parse_definition(SPEC_EXAMPLE)
    exported = definition_json(definition)
    assert json.loads(exported)["review_channel_id"] == "123456789012345678"
    assert parse_definition(exported) == definition


# -- property: nothing but a DomainError ever comes out ----------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
question_keys = st.sampled_from(
    ["id", "label", "kind", "required", "placeholder", "min_length", "max_length",
     "min_value", "max_value", "choices", "extra"]
)  # fmt: skip
near_values = (
    json_values
    | st.sampled_from(list(QuestionKind))
    | st.integers(-5, 5000)
    | st.lists(st.text(max_size=110), max_size=27)
)
questions = st.dictionaries(question_keys, near_values, max_size=10)
definitions = st.fixed_dictionaries(
    {"title": st.text(max_size=50) | json_values},
    optional={
        "description": st.text(max_size=50) | json_values,
        "active": json_values,
        "max_submissions_per_user": st.integers(-2, 120) | json_values,
        "review_channel_id": st.integers() | st.text(alphabet="0123456789 x", max_size=22),
        "required_role_id": json_values,
        "questions": st.lists(questions, max_size=27) | json_values,
        "surprise": json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(definitions, json_values))
def test_any_json_either_parses_or_raises_a_domain_error(data: Any) -> None:
    try:
        raw = json.dumps(data)
    except ValueError:
        return  # not representable as JSON (NaN, etc.)
    try:
        definition = parse_definition(raw)
    except DomainError as error:
        assert str(error)
    else:
        assert parse_definition(definition_json(definition)) == definition


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_text_either_parses_or_raises_a_domain_error(raw: str | bytes) -> None:
    with contextlib.suppress(DomainError):
        parse_definition(raw)


def test_a_parsed_definition_is_not_changed_by_the_caller() -> None:
    data = spec_example()
    definition = parse_definition(copy.deepcopy(data))
    with pytest.raises(ValueError):
        definition.title = "changed"  # type: ignore[misc]
