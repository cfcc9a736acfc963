"""For admins: the feature flags (with a switch each) and the server's setup at a glance,
with what is missing and the command that fixes it."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from core.models import Department, Feature
from core.policy import require_admin
from dashboard.context import Dashboard
from dashboard.visitors import Place
from dashboard.web import page, see_other, visitor_speech
from i18n import N_


@dataclass(frozen=True)
class SetupLine:
    what: str
    value: str
    ok: bool
    fix: str = ""


def setup_lines(place: Place, ai_configured: bool, forms: int) -> list[SetupLine]:
    config, flags = place.config, place.flags
    t = visitor_speech(place.session, place)

    def channel(value: int | None) -> str:
        return t._("channel {id}", id=value) if value else t._("not set")

    def role(value: int | None) -> str:
        return t._("role {id}", id=value) if value else t._("not set")

    setup = "/admin setup ticket_channel staff_role log_channel review_channel"
    lines = [
        SetupLine(
            t._("Ticket channel"),
            channel(config.ticket_channel_id),
            config.ticket_channel_id is not None,
            t._("Run {command}.", command=setup),
        ),
        SetupLine(
            t._("Staff role"),
            role(config.staff_role_id),
            config.staff_role_id is not None,
            t._("Run {command}.", command=setup),
        ),
        SetupLine(
            t._("Log channel (transcripts, events)"),
            channel(config.log_channel_id),
            config.log_channel_id is not None,
            t._(
                "Without it closed tickets' transcripts are not kept on Discord: run {command}.",
                command=setup,
            ),
        ),
        SetupLine(
            t._("Review channel (applications)"),
            channel(config.review_channel_id),
            config.review_channel_id is not None or not flags.is_on(Feature.APPLICATIONS),
            t._("Applications have nowhere to go for review: run {command}.", command=setup),
        ),
    ]
    for department in Department:
        assigned = config.department_roles.get(department)
        lines.append(
            SetupLine(
                t._("{department} staff", department=department.value),
                role(assigned) if assigned else t._("the staff role"),
                True,
            )
        )
    ai_on = flags.is_on(Feature.AI)
    lines.append(
        SetupLine(
            t._("AI answers"),
            t._("configured") if ai_configured else t._("not configured"),
            ai_configured or not ai_on,
            # TRANSLATORS: "ai" is the feature flag's name, as typed in /admin feature.
            t._(
                "The ai flag is on but the bot has no AI settings: set OPENAI_API_KEY and AI_MODEL."
            ),
        )
    )
    lines.append(SetupLine(t._("Application forms"), str(forms), True))
    limits = t._(
        "{max_open} open tickets per member, {cooldown} s between tickets, reminder after "
        "{reminder} h, auto-close {autoclose} h later",
        max_open=config.max_open_tickets,
        cooldown=config.cooldown_seconds,
        reminder=config.reminder_hours,
        autoclose=config.autoclose_hours,
    )
    lines.append(SetupLine(t._("Limits"), limits, True))
    return lines


def register(router: APIRouter, dash: Dashboard) -> None:
    guilds = dash.services.guilds

    @router.get("/servers/{guild_id}/admin")
    async def overview(request: Request, guild_id: int, done: str = "") -> Response:
        place = await dash.visitors.place(request, guild_id)
        require_admin(place.actor)
        forms = (
            await dash.services.forms.list_all(place.actor)
            if place.flags.is_on(Feature.APPLICATIONS)
            else []
        )
        lines = setup_lines(place, guilds.ai_configured, len(forms))
        return page(
            "admin.html",
            visitor=place.session,
            place=place,
            flags=[(f.value, place.flags.is_on(f)) for f in Feature],
            lines=lines,
            missing=[line for line in lines if not line.ok],
            notice=N_("Saved.") if done else None,
        )

    @router.post("/servers/{guild_id}/admin/features")
    async def set_feature(request: Request, guild_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        form = await dash.posted(request, place.session)
        feature = Feature(str(form.get("name"))) if form.get("name") in set(Feature) else None
        if feature is None:
            return see_other(place.url("/admin"))
        await guilds.set_feature(place.actor, feature, form.get("enabled") == "on")
        return see_other(place.url("/admin?done=1"))
