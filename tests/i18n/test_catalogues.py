"""Every catalogue translates every sentence of the desk, keeping what must not change.

The sentences are found in the source exactly as `pybabel extract` finds them
(`i18n.tools.extracted`), so a sentence added anywhere (a reply, a button, a wording entry)
fails here, named, until every language has it: run `python -m i18n.tools update`, then
translate the new `msgstr ""` entries.
"""

from __future__ import annotations

import functools
import re

import discord
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from i18n import DEFAULT_LOCALE, available_locales
from i18n.catalogues import babel_locale, catalogue_path
from i18n.tools import extracted

TRANSLATED = [code for code in available_locales() if code != DEFAULT_LOCALE]
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
CODE = re.compile(r"`[^`]+`")  # commands and option syntax stay as typed: `/ticket reply`
TICKET_REF = re.compile(r"#\{[a-z_]+\}")  # `#{ticket_id}`: "#id" stays (SPEC §7)
UPDATE = "run `python -m i18n.tools update` and translate it"


@functools.cache
def source() -> Catalog:
    return extracted()


@functools.cache
def catalogue(locale: str) -> Catalog:
    with catalogue_path(locale).open("rb") as file:
        return read_po(file, locale=babel_locale(locale))


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _name(message: Message) -> str:
    context = f"[{message.context}] " if message.context else ""
    return context + repr(message.id if isinstance(message.id, str) else message.id[0])


def _wanted() -> list[Message]:
    return [message for message in source() if message.id]


def test_five_languages_with_english_the_default() -> None:
    assert available_locales()[0] == "en-US"
    assert set(available_locales()) >= {"en-US", "de", "fr", "es-ES", "pt-BR"}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_catalogue_is_named_by_a_discord_locale(locale: str) -> None:
    # A new language is one new file, named as Discord names the locale.
    assert locale in {item.value for item in discord.Locale}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated(locale: str) -> None:
    known = catalogue(locale)
    missing = []
    for message in _wanted():
        found = known.get(
            message.id if isinstance(message.id, str) else message.id[0], message.context
        )
        strings = (
            []
            if found is None
            else (found.string if isinstance(found.string, tuple) else [found.string])
        )
        if found is None or found.fuzzy or not all(strings) or not strings:
            missing.append(_name(message))
    assert missing == [], f"{locale}.po lacks {len(missing)} translations ({UPDATE}): {missing}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_translation_is_left_for_a_message_gone_from_the_source(locale: str) -> None:
    wanted = {_key(message) for message in _wanted()}
    stale = [_name(m) for m in catalogue(locale) if m.id and _key(m) not in wanted]
    assert stale == [], f"{locale}.po translates sentences no longer in the code ({UPDATE})"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_placeholders_commands_and_ids(locale: str) -> None:
    known = catalogue(locale)
    wrong = []
    for message in _wanted():
        found = known.get(
            message.id if isinstance(message.id, str) else message.id[0], message.context
        )
        if found is None or not found.string:
            continue  # reported by test_every_message_is_translated
        english = message.id if isinstance(message.id, str) else message.id[1]
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        for form in forms:
            for pattern in (PLACEHOLDER, CODE, TICKET_REF):
                if sorted(pattern.findall(form)) != sorted(pattern.findall(english)):
                    wrong.append(f"{_name(message)} -> {form!r}")
                    break
    assert wrong == [], f"{locale}.po changes placeholders, commands or #ids: {wrong}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_plurals_have_every_form_the_language_needs(locale: str) -> None:
    known = catalogue(locale)
    short = []
    for message in _wanted():
        if isinstance(message.id, str):
            continue
        found = known.get(message.id[0], message.context)
        if (
            found is None
            or not isinstance(found.string, tuple)
            or len(found.string) != known.num_plurals
            or not all(found.string)
        ):
            short.append(_name(message))
    assert short == [], f"{locale}.po: plural forms missing ({known.num_plurals} needed): {short}"


def test_english_plurals_are_marked_as_plurals_in_the_source() -> None:
    # ngettext's two English forms: the singular must differ from the plural.
    same = [_name(m) for m in _wanted() if not isinstance(m.id, str) and m.id[0] == m.id[1]]
    assert same == []


def test_known_native_names_are_babels_own_spelling() -> None:
    # The table only spares start-up Babel's locale data; the names must not drift from it.
    from i18n.catalogues import KNOWN_NATIVE_NAMES, babel_native_name

    for code, name in KNOWN_NATIVE_NAMES.items():
        assert babel_native_name(code) == name, code
