"""The one rule for who is staff or admin, and ids that must be the server's own."""

from __future__ import annotations

import json

import pytest

from core.access import ServerIds
from core.errors import InvalidInput
from core.form_schema import DefinitionInvalid
from core.forms import FormService
from core.guilds import GuildService
from core.models import Department, GuildConfig
from core.policy import is_staff, member_actor
from core.validation import id_digits, parse_ticket_id
from tests.core.conftest import GUILD, STAFF_ROLE, TICKET_CHANNEL, admin, server
from tests.core.said import raises_worded

BILLING_ROLE = 2100
CONFIG = GuildConfig(
    guild_id=GUILD,
    staff_role_id=STAFF_ROLE,
    department_roles={Department.BILLING: BILLING_ROLE},
)


@pytest.mark.parametrize(
    ("roles", "granted", "staff", "is_admin"),
    [
        ((), (), False, False),
        ((GUILD,), ("send_messages", "view_channel"), False, False),
        ((STAFF_ROLE,), (), True, False),
        ((BILLING_ROLE,), (), True, False),
        ((), ("manage_threads",), True, False),
        ((), ("manage_guild",), True, True),
        ((), ("administrator",), True, True),
        ((999,), ("manage_messages", "manage_channels"), False, False),
    ],
)
def test_member_actor(roles, granted, staff, is_admin):
    actor = member_actor(
        user_id=1, guild_id=GUILD, role_ids=roles, server_permissions=granted, config=CONFIG
    )
    assert (is_staff(actor), actor.is_admin) == (staff, is_admin)


def test_a_config_without_roles_makes_nobody_staff_by_role():
    bare = GuildConfig(guild_id=GUILD)
    actor = member_actor(
        user_id=1, guild_id=GUILD, role_ids=(STAFF_ROLE,), server_permissions=(), config=bare
    )
    assert not is_staff(actor)


@pytest.mark.parametrize("text", ["²", "١", "-1", "1.0", " 1", "", "9" * 26, "０"])
def test_only_ascii_digits_are_ids(text):
    assert id_digits(text) is None


def test_huge_ticket_numbers_parse_and_are_left_to_not_found():
    assert parse_ticket_id(str(2**63)) == 2**63
    with raises_worded(InvalidInput, match="ticket_id"):
        parse_ticket_id("²")


async def test_setup_refuses_another_servers_ids(guilds: GuildService):
    elsewhere = ServerIds(guild_id=GUILD, channel_ids=frozenset({TICKET_CHANNEL}))
    with raises_worded(InvalidInput, match="staff_role: is not a role of this server"):
        await guilds.setup(
            admin(), ticket_channel_id=TICKET_CHANNEL, staff_role_id=STAFF_ROLE, server=elsewhere
        )
    with raises_worded(InvalidInput, match="log_channel: is not a channel"):
        await guilds.setup(
            admin(),
            ticket_channel_id=TICKET_CHANNEL,
            staff_role_id=STAFF_ROLE,
            log_channel_id=5,
            server=server(),
        )
    with raises_worded(InvalidInput, match="role: is not a role"):
        await guilds.set_department_role(admin(), Department.SALES, 5, server=server())
    assert not (await guilds.config(GUILD)).is_set_up


async def test_form_ids_must_be_the_servers_own(guilds: GuildService, store, clock):
    forms = FormService(store, guilds, clock)
    definition = json.dumps(
        {
            "title": "Beta",
            "review_channel_id": "5000",
            "accept_role_id": "6000",
            "required_role_id": str(GUILD),  # @everyone: always the server's own
            "questions": [{"id": "q", "label": "Q", "kind": "short_text"}],
        }
    )
    with pytest.raises(DefinitionInvalid) as refused:
        await forms.create(admin(), definition, server())
    assert [path for path, _ in refused.value.errors] == ["review_channel_id", "accept_role_id"]
    with pytest.raises(DefinitionInvalid):
        await forms.create(admin(), definition)  # no server known: no id is accepted
    with pytest.raises(DefinitionInvalid):  # the server given must be the actor's
        await forms.create(admin(), definition, server(guild_id=7, channels=(5000,), roles=(6000,)))
    form = await forms.create(admin(), definition, server(channels=(5000,), roles=(6000,)))
    assert form.review_channel_id == 5000
