"""The "Added to the ticket" line of /ticket view stays within its room however many
people staff added, and never cuts a mention in half."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from cogs.tickets.render import PEOPLE_ROOM, people_line
from core.desk_tool_models import Participant, ParticipantKind
from i18n import speech

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def added(kind: ParticipantKind, target: int) -> Participant:
    return Participant(ticket_id=1, kind=kind, target_id=target, added_by=7, added_at=NOW)


def test_members_and_roles_as_mentions():
    people = [added(ParticipantKind.ROLE, 55), added(ParticipantKind.MEMBER, 66)]
    assert people_line(people, speech("en-US")) == "Added to the ticket: <@&55>, <@66>"


def test_a_crowd_is_cut_between_mentions():
    people = [added(ParticipantKind.MEMBER, 10**17 + n) for n in range(200)]
    line = people_line(people, speech("en-US"))
    listed = line.removeprefix("Added to the ticket: ")
    assert len(listed) <= PEOPLE_ROOM + 2 and listed.endswith(" …")
    assert re.fullmatch(r"(<@\d+>, )*<@\d+> …", listed)


def test_said_in_the_members_language():
    people = [added(ParticipantKind.MEMBER, 66)]
    assert people_line(people, speech("de")) == "Zum Ticket hinzugefügt: <@66>"
