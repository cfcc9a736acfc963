"""The message catalogues: gettext `.po` files read directly at start-up.

Why `.po` and no compiled `.mo`: the `.po` file is what translators and their tools
(Poedit, Weblate, Lokalise, `pybabel update`) edit, so loading it is loading the one
source of truth; there is no build step to forget, no binary to commit or download. Babel
reads a file in a few milliseconds, and the compiled form is made in memory
(`write_mo` into a buffer, read back by the standard library's `GNUTranslations`), so
plural rules come from each file's own `Plural-Forms` header exactly as gettext reads them.

A language is one file named by its Discord locale code (`i18n/locales/de.po`,
`i18n/locales/pt-BR.po`): dropping a new file there adds the language everywhere (replies,
command localisations, the `/admin language` choices). en-US is the source language and
needs no file.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LOCALE = "en-US"


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / f"{locale}.po"


@functools.cache
def available_locales() -> tuple[str, ...]:
    """Every language the desk speaks, as Discord locale codes: en-US first."""
    found = sorted(path.stem for path in LOCALE_DIR.glob("*.po"))
    return (DEFAULT_LOCALE, *(code for code in found if code != DEFAULT_LOCALE))


def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale, sep="-")


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of `locale` (English, untranslated, for en-US)."""
    path = catalogue_path(locale)
    if locale == DEFAULT_LOCALE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=babel_locale(locale))
    compiled = io.BytesIO()
    # Fuzzy entries are a translator's unconfirmed guess: English is shown until confirmed.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def resolve(locale: object) -> str:
    """The catalogue for a Discord locale: the same code, else the same language (es-419
    reads es-ES, en-GB reads en-US), else en-US."""
    code = str(locale or "")
    known = available_locales()
    if code in known:
        return code
    language = code.split("-")[0].lower()
    for candidate in known:
        if candidate.split("-")[0].lower() == language:
            return candidate
    return DEFAULT_LOCALE


@functools.cache
def language_name(locale: str) -> str:
    """The language's name in English ("German", "Portuguese (Brazil)"): for the AI, which
    may answer in any language Discord has, not only those with a catalogue."""
    try:
        return babel_locale(locale).get_display_name("en") or locale
    except (UnknownLocaleError, ValueError):
        return locale


# The desk's own languages by their own names, as Babel spells them (tests/i18n checks):
# asking Babel reads each language's whole CLDR data (~1 MB each), kept for the process's
# life, only to name it in the /admin language choices at start-up.
KNOWN_NATIVE_NAMES = {
    "en-US": "English (United States)",
    "de": "Deutsch",
    "es-ES": "Español (España)",
    "fr": "Français",
    "pt-BR": "Português (Brasil)",
}


@functools.cache
def native_name(locale: str) -> str:
    """The language's name in itself ("Deutsch", "Português (Brasil)"): for choices."""
    if locale in KNOWN_NATIVE_NAMES:
        return KNOWN_NATIVE_NAMES[locale]
    return babel_native_name(locale)


def babel_native_name(locale: str) -> str:
    name = babel_locale(locale).get_display_name(babel_locale(locale)) or locale
    return name[:1].upper() + name[1:]
