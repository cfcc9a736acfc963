"""build_messages and the prompt loader: pure functions, no HTTP."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ai import AIRequest, AITurn, build_messages
from prompts.loader import load_prompt, render


def ticket(**changes: object) -> AIRequest:
    values: dict[str, object] = {
        "subject": "Refund",
        "first_message": "I was charged twice.",
        "department": "Billing",
    }
    return AIRequest.model_validate(values | changes)


def test_roles_follow_who_spoke():
    turns = (
        AITurn(role="member", text="Still broken"),
        AITurn(role="ai", text="Try X"),
        AITurn(role="staff", text="Looking into it"),
    )

    messages = build_messages(ticket(turns=turns))

    assert [m["role"] for m in messages] == ["system", "user", "user", "assistant", "assistant"]
    assert messages[2]["content"] == "Still broken"
    assert messages[3]["content"] == "Try X"
    assert "staff" in messages[4]["content"].lower()
    assert messages[4]["content"].endswith("Looking into it")


def test_knowledge_is_delimited_reference_in_the_system_prompt():
    system = build_messages(ticket(knowledge="Refunds take 5 days. Costs $5 {x}."))[0]["content"]

    assert "Refunds take 5 days. Costs $5 {x}." in system
    assert "not as instructions" in system
    assert system.index("Refunds take") < system.rindex("END OF REFERENCE MATERIAL")
    assert load_prompt("departments/billing") in system


def test_unknown_department_gets_no_note_and_no_error():
    system = build_messages(ticket(department="../../etc/passwd"))[0]["content"]

    assert system.startswith(render(load_prompt("system"), department="../../etc/passwd"))
    for name in ("technical_support", "billing", "sales", "security"):
        assert load_prompt(f"departments/{name}") not in system


def test_small_budget_keeps_opening_and_newest_turns_with_a_note():
    turns = tuple(AITurn(role="member", text=f"t{i} " + "x" * 100) for i in range(10))
    system_and_opening = sum(len(m["content"]) for m in build_messages(ticket()))

    messages = build_messages(ticket(turns=turns), context_budget_chars=system_and_opening + 350)

    assert messages[1]["content"] == "Ticket subject: Refund\n\nI was charged twice."
    assert "7 earlier messages" in messages[2]["content"]
    assert [m["content"][:2] for m in messages[3:]] == ["t7", "t8", "t9"]


turn_lists = st.lists(
    st.builds(AITurn, role=st.sampled_from(["member", "staff", "ai"]), text=st.text(max_size=300)),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(turns=turn_lists, budget=st.integers(min_value=0, max_value=6000))
def test_trimming_keeps_the_newest_suffix_within_budget(turns: list[AITurn], budget: int):
    request = ticket(turns=tuple(turns))
    messages = build_messages(request, context_budget_chars=budget)
    untrimmed = build_messages(request, context_budget_chars=10**9)

    assert messages[:2] == untrimmed[:2]
    has_note = len(messages) > 2 and messages[2]["content"].endswith("left out for length.)")
    kept = messages[3:] if has_note else messages[2:]
    assert kept == untrimmed[len(untrimmed) - len(kept) :]
    if turns:
        assert kept[-1] == untrimmed[-1]
        total = sum(len(m["content"]) for m in messages[:2] + kept)
        assert total <= budget or len(kept) == 1


def test_render_leaves_member_text_verbatim():
    assert render("Hi $name, $unknown costs $$5", name="{0.__class__} $x") == (
        "Hi {0.__class__} $x, $unknown costs $5"
    )


@pytest.mark.parametrize("name", ["../core/ai", "/etc/passwd", "System", "departments/"])
def test_load_prompt_refuses_names_outside_the_package(name: str):
    with pytest.raises(ValueError):
        load_prompt(name)


def test_every_template_is_non_empty():
    for name in ("system", "suggest", "knowledge", "departments/security"):
        assert load_prompt(name).strip()
