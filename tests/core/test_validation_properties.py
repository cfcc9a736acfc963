"""Any text a member can type is either accepted or refused with a domain error."""

from __future__ import annotations

import asyncio
import contextlib
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.models import Priority
from core.validation import (
    _CONTROLS,
    _CONTROLS_BUT_NEWLINE_AND_TAB,
    MESSAGE_MAX,
    SUBJECT_MAX,
    clean_text,
    parse_choice,
    parse_ticket_id,
)

texts = st.one_of(
    st.text(max_size=5000),
    st.text(alphabet=st.characters(categories=["Cc", "Zs", "Cf"]), max_size=50),
    st.just(""),
    st.text(min_size=4001, max_size=4100),
    st.integers(),
    st.none(),
)


@given(texts)
def test_subject_and_message_accept_or_refuse(value):
    for field, limit, multiline in (
        ("subject", SUBJECT_MAX, False),
        ("message", MESSAGE_MAX, True),
    ):
        try:
            cleaned = clean_text(field, value, max_length=limit, multiline=multiline)
        except DomainError as error:
            assert str(error).startswith(f"{field}: ")
        else:
            assert 1 <= len(cleaned) <= limit
            assert cleaned == cleaned.strip()


@given(st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans()))
def test_choices_and_ids_accept_or_refuse(value):
    for parse in (
        lambda v: parse_choice("priority", v, Priority, Priority.MEDIUM),
        parse_ticket_id,
    ):
        with contextlib.suppress(DomainError):
            parse(value)


# No deadline: each example opens a database and runs every migration, and a loaded
# machine makes that slow; speed is the benchmark's business, not a test's.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(subject=texts, message=texts, priority=st.one_of(st.none(), st.text(max_size=12)))
def test_create_never_raises_unexpected_errors(tmp_path_factory, subject, message, priority):
    from core.clock import ManualClock
    from core.guilds import GuildService
    from core.tickets import TicketService
    from storage.sqlite.store import SqliteStore
    from tests.core.conftest import admin, member, server

    async def scenario():
        store = await SqliteStore.open(tmp_path_factory.mktemp("p") / "desk.db")
        try:
            clock = ManualClock()
            guilds = GuildService(store, clock)
            tickets = TicketService(store, guilds, clock)
            await guilds.setup(
                admin(),
                ticket_channel_id=1,
                staff_role_id=2,
                server=server(channels=(1,), roles=(2,)),
            )
            try:
                ticket = await tickets.create(
                    member(), subject=subject, message=message, priority=priority
                )
            except DomainError:
                return
            assert 1 <= len(ticket.subject) <= SUBJECT_MAX
        finally:
            await store.close()

    asyncio.run(scenario())


def test_control_character_patterns_are_unicodes_cc_category():
    controls = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"}
    for pattern, allowed in ((_CONTROLS, set()), (_CONTROLS_BUT_NEWLINE_AND_TAB, {"\n", "\t"})):
        matched = {ch for ch in map(chr, range(0x110000)) if pattern.fullmatch(ch)}
        assert matched == controls - allowed
