"""What /admin setup and /admin features show: the server's setup and its diagnosis."""

from __future__ import annotations

from cogs.admin.diagnosis import Diagnosis
from cogs.shared.text import channel_mention, role_mention
from core.models import Department, Feature, FeatureFlags, GuildConfig
from i18n import Speech


def describe_config(
    config: GuildConfig, flags: FeatureFlags, ai_configured: bool, t: Speech, language: str
) -> str:
    """The server's setup, in `t`'s language; the flag lines (`ticketing: on`) are SPEC §7's
    and stay English. `language` says which language the server's messages are in."""
    not_set = t._("not set")

    def channel(value: int | None) -> str:
        return channel_mention(value) if value else not_set

    def role(value: int | None) -> str:
        return role_mention(value) if value else not_set

    lines = [f"{feature.value}: {'on' if flags.is_on(feature) else 'off'}" for feature in Feature]
    lines += [
        "",
        t._("Ticket channel: {channel}", channel=channel(config.ticket_channel_id)),
        t._("Staff role: {role}", role=role(config.staff_role_id)),
        t._("Log channel: {channel}", channel=channel(config.log_channel_id)),
        t._("Review channel: {channel}", channel=channel(config.review_channel_id)),
    ]
    for department in Department:
        if department in config.department_roles:
            lines.append(
                t._(
                    "{department} role: {role}",
                    department=department.value,
                    role=role(config.department_roles[department]),
                )
            )
    lines += [
        t._(
            "Open tickets per member: {limit} · cooldown: {seconds}s",
            limit=config.max_open_tickets,
            seconds=config.cooldown_seconds,
        ),
        t._(
            "Inactivity: reminder after {reminder}h, close {close}h later",
            reminder=config.reminder_hours,
            close=config.autoclose_hours,
        ),
        t._("AI: API key and model configured")
        if ai_configured
        else t._("AI: not configured (set OPENAI_API_KEY and AI_MODEL)"),
        language,
    ]
    if not config.is_set_up:
        lines.append("\n" + t._("⚠️ Not set up yet: run `/admin setup ticket_channel staff_role`."))
    return "\n".join(lines)


def describe_diagnosis(diagnosis: Diagnosis, t: Speech) -> str:
    lines = [f"⚠️ {problem}" for problem in diagnosis.problems]
    lines += [f"ℹ️ {note}" for note in diagnosis.notes]
    return "\n\n" + "\n".join(lines) if lines else "\n\n" + t._("✅ Permissions are fine.")
