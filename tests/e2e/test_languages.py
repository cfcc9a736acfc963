"""The desk speaks each member's language (SPEC §11), end to end.

What only one member sees follows their Discord locale; what everyone reads in the server
(ticket threads, the log channel, DMs about a ticket) follows the server's language, set
with `/admin language`, else the server's preferred locale on Discord.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.e2e.helpers import open_ticket, raw_slash, rows, set_up
from tests.fakes.discord.driver import Desk
from tests.fakes.openai import FakeOpenAI

LANGUAGES = {"de", "fr", "es-ES", "pt-BR"}


@pytest.mark.postgres
async def test_a_german_member_in_a_french_server(desk: Desk):
    await set_up(desk)
    admin = desk.member("admin")
    chosen = await admin.slash("admin language", language="fr")
    assert chosen.ephemeral and "are now in Français" in chosen.text  # the admin reads English
    alice = desk.member("alice").speaks("de")

    opened, thread = await open_ticket(desk, "alice")
    assert opened.ephemeral and opened.text.startswith("Ticket #1 ist offen:"), opened.text
    opening = desk.bot_messages(thread)[0]
    assert "Nouveau ticket #1." in opening.text and "écris ici pour parler au staff" in opening.text
    assert opening.buttons == ["Fermer"]
    assert "Priority" in opening.text and "medium" in opening.text  # SPEC §7's words stay
    logged = await desk.next_message("logs", "📥 Ticket #1 ouvert par")
    assert "(medium, Technical Support)" in logged.text

    view = await alice.slash("ticket view", ticket_id="1")
    assert view.ephemeral and "Status: open" in view.text and "Inhaber:" in view.text
    assert "Verlauf" in view.text
    unknown = await alice.slash("ticket view", ticket_id="999999")
    assert (
        unknown.text == "Ticket #999999 wurde nicht gefunden. `/ticket list` zeigt deine Tickets."
    )
    listed = await alice.slash("ticket list")
    assert "Deine Tickets" in listed.text and "#1" in listed.text and "open" in listed.text

    posted = await alice.slash("ticket reply", in_channel=thread, message="Es brennt immer noch.")
    assert posted.text.startswith("Antwort in #1 gepostet"), posted.text
    said = await desk.next_message(thread, "Es brennt immer noch.")
    assert "(membre) a écrit :" in said.text
    # The ticket remembers its member's language: the AI answers in it.
    assert rows(desk, "SELECT language FROM tickets") == [("de",)]

    asked = await alice.click(opening, "Fermer")
    assert asked.text.startswith("Ticket #1 schließen?") and "Jetzt schließen" in asked.buttons
    closed = await alice.click(asked, "Jetzt schließen")
    assert closed.text.startswith("Ticket #1 ist geschlossen."), closed.text
    note = await desk.next_message(thread, "🔒 Le ticket #1 a été fermé par")
    assert alice.mention in note.text
    dm = await desk.wait_for(lambda: desk.dms("alice"), 5, "the closing DM")
    assert "La transcription de la conversation est jointe." in dm[0].text
    _, transcript = dm[0].attachment_named(".txt")
    assert "Status: closed" in transcript.decode() and "Auteur : utilisateur" in transcript.decode()


async def test_the_server_language_defaults_to_discords_and_can_be_changed_back(desk: Desk):
    desk.set_server_locale("pt-BR")
    await set_up(desk, max_open_tickets=5)
    admin = desk.member("admin")
    _, first = await open_ticket(desk, "alice")  # alice's Discord is in English
    assert "Novo ticket #1." in desk.bot_messages(first)[0].text
    shown = await admin.slash("admin features")
    assert "Language of threads, log and DMs: Português (Brasil)" in shown.text

    await admin.slash("admin language", language="es-ES")
    opened, second = await open_ticket(desk, "alice")
    assert opened.text.startswith("Ticket #2 is open:")  # what only alice sees: English
    assert "Nuevo ticket #2." in desk.bot_messages(second)[0].text

    back = await admin.slash("admin language", language="default")
    assert "server's language on Discord: Português (Brasil)" in back.text
    _, third = await open_ticket(desk, "alice")
    assert "Novo ticket #3." in desk.bot_messages(third)[0].text
    assert rows(desk, "SELECT language FROM guild_settings") == [(None,)]


async def test_admin_language_is_refused_to_members_in_their_language(desk: Desk):
    await set_up(desk)
    desk.member("bob").speaks("fr")
    refused = await raw_slash(desk, "bob", "admin language", language="de")
    assert refused.ephemeral
    assert refused.text == (
        "Seuls les admins du serveur (permission Gérer le serveur) peuvent faire ça."
    )
    assert rows(desk, "SELECT language FROM guild_settings") == [(None,)]
    unknown = await raw_slash(desk, "admin", "admin language", language="tlh")
    assert unknown.text.startswith("language: must be one of en-US, de, es-ES, fr, pt-BR")


def described(commands: list[dict[str, Any]], path: str = "") -> Iterator[tuple[str, dict]]:
    """Every command, subcommand and option that carries a description."""
    for item in commands:
        where = f"{path} {item['name']}".strip()
        yield where, item
        yield from described(item.get("options") or [], where)


async def test_the_command_sync_carries_every_language(desk: Desk):
    synced = list(desk.commands().values())
    checked = 0
    for where, item in described(synced):
        localized = item.get("description_localizations") or {}
        assert set(localized) >= LANGUAGES, f"/{where} lacks {LANGUAGES - set(localized)}"
        assert all(1 <= len(text) <= 100 for text in localized.values()), where
        assert not item.get("name_localizations"), f"/{where}: names are the contract"
        checked += 1
    assert checked >= 80  # every command, subcommand and option
    ticket = desk.commands()["ticket"]
    create = next(o for o in ticket["options"] if o["name"] == "create")
    assert create["description_localizations"]["de"] == "Ein Support-Ticket öffnen"
    priority = next(o for o in create["options"] if o["name"] == "priority")
    urgent = next(c for c in priority["choices"] if c["value"] == "urgent")
    assert urgent["name_localizations"]["de"] == "dringend"
    listing = next(o for o in ticket["options"] if o["name"] == "list")
    status = next(o for o in listing["options"] if o["name"] == "status")
    assert all(not c.get("name_localizations") for c in status["choices"])  # `open` stays
    admin = desk.commands()["admin"]
    language = next(o for o in admin["options"] if o["name"] == "language")
    values = [c["value"] for c in language["options"][0]["choices"]]
    assert values == ["en-US", "de", "es-ES", "fr", "pt-BR", "default"]


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key="sk-e2e-languages") as fake:
        yield fake


async def test_the_ai_is_asked_to_answer_in_the_members_language(desk_factory, model):
    env = {
        "OPENAI_BASE_URL": model.base_url,
        "OPENAI_API_KEY": "sk-e2e-languages",
        "AI_MODEL": "fake-model",
        "AI_TIMEOUT_SECONDS": "2",
    }
    desk = await desk_factory(env)
    await set_up(desk)
    await desk.member("admin").slash("admin feature", name="ai", enabled=True)
    desk.member("alice").speaks("pt-BR")
    await open_ticket(desk, "alice")
    (request,) = await model.wait_for_requests(1)
    system = request.messages[0]["content"]
    assert "The member's Discord is set to Portuguese (Brazil)." in system
