"""For admins: the feature flags (with a switch each) and the server's setup at a glance,
with what is missing and the command that fixes it."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from core.models import Department, Feature
from core.policy import require_admin
from dashboard.context import Dashboard
from dashboard.visitors import Place
from dashboard.web import page, see_other


@dataclass(frozen=True)
class SetupLine:
    what: str
    value: str
    ok: bool
    fix: str = ""


def setup_lines(place: Place, ai_configured: bool, forms: int) -> list[SetupLine]:
    config, flags = place.config, place.flags

    def channel(value: int | None) -> str:
        return f"channel {value}" if value else "not set"

    def role(value: int | None) -> str:
        return f"role {value}" if value else "not set"

    setup = "/admin setup ticket_channel staff_role log_channel review_channel"
    lines = [
        SetupLine(
            "Ticket channel",
            channel(config.ticket_channel_id),
            config.ticket_channel_id is not None,
            f"Run {setup}.",
        ),
        SetupLine(
            "Staff role",
            role(config.staff_role_id),
            config.staff_role_id is not None,
            f"Run {setup}.",
        ),
        SetupLine(
            "Log channel (transcripts, events)",
            channel(config.log_channel_id),
            config.log_channel_id is not None,
            f"Without it closed tickets' transcripts are not kept on Discord: run {setup}.",
        ),
        SetupLine(
            "Review channel (applications)",
            channel(config.review_channel_id),
            config.review_channel_id is not None or not flags.is_on(Feature.APPLICATIONS),
            f"Applications have nowhere to go for review: run {setup}.",
        ),
    ]
    for department in Department:
        assigned = config.department_roles.get(department)
        lines.append(
            SetupLine(
                f"{department.value} staff", role(assigned) if assigned else "the staff role", True
            )
        )
    ai_on = flags.is_on(Feature.AI)
    lines.append(
        SetupLine(
            "AI answers",
            "configured" if ai_configured else "not configured",
            ai_configured or not ai_on,
            "The ai flag is on but the bot has no AI settings: set OPENAI_API_KEY and AI_MODEL.",
        )
    )
    lines.append(SetupLine("Application forms", str(forms), True))
    lines.append(
        SetupLine(
            "Limits",
            f"{config.max_open_tickets} open tickets per member, "
            f"{config.cooldown_seconds} s between tickets, reminder after {config.reminder_hours} h, "
            f"auto-close {config.autoclose_hours} h later",
            True,
        )
    )
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
            notice="Saved." if done else None,
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
