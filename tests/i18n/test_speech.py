"""The translation function: languages chosen from Discord locales, plurals, named
placeholders, numbers and dates per locale, and the wording catalogue in every language."""

from __future__ import annotations

import gettext
import re
from datetime import UTC, datetime

import pytest

from core.errors import FeatureDisabled, Message, NotFound
from i18n import Speech, available_locales, language_name, native_name, speech
from i18n.catalogues import babel_locale
from wording.catalogue import CATALOGUE, Plural, error_text, say


@pytest.mark.parametrize(
    ("discord_locale", "catalogue"),
    [
        ("de", "de"),
        ("fr", "fr"),
        ("es-ES", "es-ES"),
        ("es-419", "es-ES"),  # Latin American Spanish reads the Spanish catalogue
        ("pt-BR", "pt-BR"),
        ("en-GB", "en-US"),
        ("ja", "en-US"),  # no catalogue yet: English
        (None, "en-US"),
        ("", "en-US"),
    ],
)
def test_a_discord_locale_picks_its_catalogue(discord_locale: str | None, catalogue: str) -> None:
    assert speech(discord_locale).locale == catalogue


def test_sentences_are_translated_with_named_placeholders() -> None:
    said = speech("de")._("Ticket {ref} is closed.", ref="#7")
    assert said == "Ticket #7 ist geschlossen."
    assert speech()._("Ticket {ref} is closed.", ref="#7") == "Ticket #7 is closed."


@pytest.mark.parametrize(
    ("locale", "counts"),
    [
        # French and Brazilian Portuguese count 0 as singular; Spanish does not.
        ("fr", {0: "0 message", 1: "1 message", 2: "2 messages"}),
        ("pt-BR", {0: "0 mensagem", 1: "1 mensagem", 2: "2 mensagens"}),
        ("es-ES", {0: "0 mensajes", 1: "1 mensaje", 2: "2 mensajes"}),
        ("de", {0: "0 Nachrichten", 1: "1 Nachricht", 2: "2 Nachrichten"}),
        ("en-US", {0: "0 messages", 1: "1 message", 2: "2 messages"}),
    ],
)
def test_plurals_follow_each_language_rule(locale: str, counts: dict[int, str]) -> None:
    t = speech(locale)
    for count, expected in counts.items():
        assert t.ngettext("{count} message", "{count} messages", count) == expected


def test_numbers_and_dates_are_written_per_locale() -> None:
    moment = datetime(2025, 3, 12, 14, 5, 9, tzinfo=UTC)
    assert speech("de").number(1234.5) == "1.234,5"
    assert speech("en-US").number(1234.5) == "1,234.5"
    assert speech("fr").number(4.5, 1) == "4,5"
    assert speech("de").moment(moment) == "12.03.2025, 14:05:09 UTC"
    assert speech("en-US").moment(moment) == "Mar 12, 2025, 2:05:09\u202fPM UTC"
    assert speech("fr").duration(7500) == "2\u202fh 5\xa0min"  # French spacing


def test_a_broken_translation_falls_back_to_english() -> None:
    class Broken(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "{nope} kaputt"

    t = Speech("de", Broken(), babel_locale("de"))
    assert t._("Ticket {ref} is closed.", ref="#7") == "Ticket #7 is closed."


def test_language_names_for_the_ai_and_the_choices() -> None:
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("xx-YY") == "xx-YY"  # never raises: the AI gets the code itself
    assert [native_name(code) for code in available_locales()] == [
        "English (United States)",
        "Deutsch",
        "Español (España)",
        "Français",
        "Português (Brasil)",
    ]


def _sample(template: str) -> dict[str, object]:
    """A value for every placeholder of a wording template."""
    params: dict[str, object] = {}
    for field in re.findall(r"(?<!\{)\{([^{}]*)\}", template):
        name, _, spec = field.partition(":")
        name = name.split("!")[0]
        if spec in ("list", "some"):
            params[name] = ["a", "b"]
        elif spec == "label":
            params[name] = "ticketing"
        elif spec == "words" or spec == "verb":
            params[name] = "reopen"
        elif spec == "verdict":
            params[name] = "accepted"
        else:
            params[name] = 2
    return params


@pytest.mark.parametrize("locale", available_locales())
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_wording_is_said_in_every_language(locale: str, code: str) -> None:
    wording = CATALOGUE[code]
    template = (
        (wording.discord_other or wording.other)
        if isinstance(wording, Plural)
        else (wording.discord or wording.text)
    )
    said = say(Message(code, **_sample(template)), speech(locale))
    assert said and code not in said and not re.search(r"\{[a-z_]+[!:]?[a-z]*\}", said)


def test_refusals_speak_the_members_language() -> None:
    refusal = NotFound("ticket.not_found", ticket_id=12)
    assert error_text(refusal, t=speech("de")) == (
        "Ticket #12 wurde nicht gefunden. `/ticket list` zeigt deine Tickets."
    )
    flag_off = FeatureDisabled("feature.disabled", feature="ticketing")
    assert "`/admin feature name:ticketing enabled:True`" in error_text(flag_off, t=speech("fr"))
