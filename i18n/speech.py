"""`Speech`: the desk talking in one language: sentences, plurals, numbers, dates."""

from __future__ import annotations

import functools
import gettext
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from babel import Locale
from babel.dates import format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

from i18n.catalogues import DEFAULT_LOCALE, babel_locale, resolve, translations

log = logging.getLogger(__name__)

DURATION_UNITS = (
    (86400, "duration-day"),
    (3600, "duration-hour"),
    (60, "duration-minute"),
)


@dataclass(frozen=True, eq=False)
class Speech:
    """One language. `locale` is its Discord code ("de", "pt-BR", "en-US")."""

    locale: str
    catalogue: gettext.NullTranslations
    babel: Locale

    # -- sentences ----------------------------------------------------------------------

    def _(self, message: str, /, **params: Any) -> str:
        """`message` in this language, its `{named}` placeholders filled from `params`."""
        return self._fill(self.catalogue.gettext(message), message, params)

    def ngettext(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        """The form for `count` (given to the template as `{count}` unless named)."""
        params.setdefault("count", count)
        source = singular if count == 1 else plural
        return self._fill(self.catalogue.ngettext(singular, plural, count), source, params)

    def pgettext(self, context: str, message: str, /, **params: Any) -> str:
        return self._fill(self.catalogue.pgettext(context, message), message, params)

    def has(self, message: str, context: str | None = None) -> bool:
        """Whether this language's catalogue translates `message` (in `context`)."""
        key = f"{context}\x04{message}" if context else message
        return key in getattr(self.catalogue, "_catalog", {})

    def template(self, message: str) -> str:
        """The translated template, unfilled (for a caller with its own formatter)."""
        return self.catalogue.gettext(message)

    def ntemplate(self, singular: str, plural: str, count: int) -> str:
        return self.catalogue.ngettext(singular, plural, count)

    def _fill(self, text: str, source: str, params: dict[str, Any]) -> str:
        if not params:
            return text
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            # A translation with a broken placeholder (the catalogue tests catch these):
            # the English sentence is better than an exception in front of a member.
            log.warning("bad placeholders in the %s translation of %r", self.locale, source)
            return source.format(**params)

    # -- numbers and dates ----------------------------------------------------------------

    def number(self, value: float, decimals: int | None = None) -> str:
        """1234.5 -> "1,234.5" (en), "1.234,5" (de); `decimals` fixes the digits shown."""
        pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
        return format_decimal(value, format=pattern, locale=self.babel)

    def moment(self, when: datetime) -> str:
        """A date and time in UTC, as this language writes them, e.g. for transcripts."""
        stamp = format_datetime(when.astimezone(UTC), "medium", tzinfo=UTC, locale=self.babel)
        return f"{stamp} UTC"

    def local_moment(self, when: datetime, pattern: str) -> str:
        """`when` in its own time zone, written with a CLDR date `pattern` (which callers
        mark for translation, so each language orders weekday, day and month its way)."""
        return format_datetime(when, pattern, tzinfo=when.tzinfo, locale=self.babel)

    def duration(self, seconds: float) -> str:
        """2 hr 5 min (en), 2 Std. 5 Min. (de): days, hours and minutes; seconds if shorter."""
        rest = round(seconds)
        parts = []
        for size, unit in DURATION_UNITS:
            amount, rest = divmod(rest, size)
            if amount:
                parts.append(format_unit(amount, unit, length="short", locale=self.babel))
        if not parts:
            parts.append(format_unit(rest, "duration-second", length="short", locale=self.babel))
        # Babel's unit-list patterns are incomplete for some locales: a space reads well in all.
        return " ".join(parts)

    def and_list(self, items: list[str]) -> str:
        """ "a, b and c" in this language."""
        return format_list(items, locale=self.babel) if items else ""


@functools.cache
def _speech(locale: str) -> Speech:
    return Speech(locale, translations(locale), babel_locale(locale))


def speech(locale: object = None) -> Speech:
    """The desk talking in `locale` (a Discord locale, e.g. `interaction.locale`, "de",
    "pt-BR"): its own catalogue, the same language's, or else en-US."""
    return _speech(resolve(locale) if locale else DEFAULT_LOCALE)
