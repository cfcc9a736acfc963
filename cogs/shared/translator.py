"""Slash commands in every language: discord.py's `app_commands.Translator`, fed by the
same catalogues as every reply (SPEC §11).

At sync discord.py asks for each command's and option's description and each choice's
name in every Discord locale; the answers travel as `description_localizations` and
`name_localizations`. Command and option names are the contract and are never
translated, and choice names only where the picker is a plain word (a priority, a
department): status words and feature names stay as SPEC §7 and §3 spell them.
"""

from __future__ import annotations

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from i18n import DEFAULT_LOCALE, NP_, speech
from i18n.catalogues import resolve

NEVER_TRANSLATED = {Where.command_name, Where.group_name, Where.parameter_name}
# The pickers' words, translated in the pickers only: the value sent is still the English
# word (SPEC §3), and views and lists keep showing it (SPEC §7).
CHOICE_NAMES = (
    # TRANSLATORS: a priority, as shown in the slash command's pick list.
    NP_("choice", "urgent"),
    NP_("choice", "high"),
    NP_("choice", "medium"),
    NP_("choice", "low"),
    # TRANSLATORS: a department, as shown in pick lists.
    NP_("choice", "Technical Support"),
    NP_("choice", "Billing"),
    NP_("choice", "Sales"),
    NP_("choice", "Security"),
)


class DeskTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The text in `locale`, or None to leave Discord showing the English one."""
        code = resolve(locale.value)
        if code == DEFAULT_LOCALE or context.location in NEVER_TRANSLATED:
            return None
        t = speech(code)
        if context.location is Where.choice_name:
            found = t.has(string.message, context="choice")
            return t.pgettext("choice", string.message) if found else None
        return t._(string.message) if t.has(string.message) else None
