"""The desk's languages: one translation function for every string a person reads.

Sentences are written in English (en-US, the default) in the code, marked for
translation, and translated from gettext catalogues (`i18n/locales/<locale>.po`, one file
per language, named by Discord's locale code: `de.po`, `es-ES.po`, `pt-BR.po`).

    t = speech(interaction.locale)          # a Speech: the desk talking in one language
    t._("Ticket {ref} is open.", ref="#4")  # gettext + named placeholders
    t.ngettext("{count} ticket", "{count} tickets", n)
    t.pgettext("choice", "urgent")          # the same English word in another role

`N_("...")` marks a sentence kept in a constant (translated where it is shown) and
`NP_(context, "...")` one with a context. The marker names are what `pybabel extract`
looks for (see `i18n/tools.py`), so always call through these names.

This package imports neither discord nor the storage: `core/` (transcripts, the AI's
language) uses it as well as the Discord front end.
"""

from __future__ import annotations

from i18n.catalogues import DEFAULT_LOCALE, available_locales, language_name, native_name
from i18n.speech import Speech, speech


def N_(message: str) -> str:
    """Marks `message` for translation where it is defined; translate it where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """`N_` with a context (gettext's msgctxt): the English word alone is ambiguous."""
    return message


__all__ = [
    "DEFAULT_LOCALE",
    "NP_",
    "N_",
    "Speech",
    "available_locales",
    "language_name",
    "native_name",
    "speech",
]
