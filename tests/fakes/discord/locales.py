"""Languages in the fake: a server's preferred locale, and the check that every command
description the bot syncs is localised within Discord's limits."""

from __future__ import annotations

from .errors import FormErrors
from .state import DiscordState, Guild, Payload

# What a GUILD_UPDATE carries: the guild object, not its channels, members or presences.
NOT_IN_GUILD_UPDATE = (
    "channels",
    "threads",
    "members",
    "voice_states",
    "presences",
    "stage_instances",
    "guild_scheduled_events",
    "soundboard_sounds",
    "joined_at",
    "large",
    "member_count",
    "unavailable",
)


def set_preferred_locale(state: DiscordState, guild: Guild, locale: str) -> None:
    guild.preferred_locale = locale
    payload: Payload = {k: v for k, v in guild.payload().items() if k not in NOT_IN_GUILD_UPDATE}
    state.dispatch("GUILD_UPDATE", payload)
    state.notify()


# Discord's locale codes (developer docs, Reference → Locales).
DISCORD_LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)
LOCALIZED = ("name_localizations", "description_localizations")


def check_localizations(errors: FormErrors, path: str, item: Payload) -> None:
    """Discord refuses a localisation for an unknown locale, or one of the wrong length
    (names 1–32, descriptions 1–100), with a 50035 naming the field; likewise inside
    options and choices."""
    for key in LOCALIZED:
        limit = 32 if key == "name_localizations" and "value" not in item else 100
        for locale, text in (item.get(key) or {}).items():
            where = f"{path}.{key}.{locale}"
            if locale not in DISCORD_LOCALES:
                errors.add(where, "LOCALE_INVALID", f"Invalid locale {locale!r}")
            elif not isinstance(text, str) or not 1 <= len(text) <= limit:
                errors.add(
                    where, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length."
                )
    for index, option in enumerate(item.get("options") or []):
        check_localizations(errors, f"{path}.options.{index}", option)
    for index, choice in enumerate(item.get("choices") or []):
        check_localizations(errors, f"{path}.choices.{index}", choice)
