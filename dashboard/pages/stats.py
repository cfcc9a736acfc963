"""Statistics for staff: counts by status, department and priority, and the first-response
time over the last 30 days, as SVG charts with the numbers written out too."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from dashboard.charts import bar_chart, response_chart
from dashboard.context import Dashboard
from dashboard.web import page, visitor_speech

HISTORY_DAYS = 30


def register(router: APIRouter, dash: Dashboard) -> None:
    tickets = dash.services.tickets

    @router.get("/servers/{guild_id}/stats")
    async def stats(request: Request, guild_id: int) -> Response:
        place = await dash.visitors.place(request, guild_id)
        numbers = await tickets.stats(place.actor)
        history = await tickets.response_history(place.actor, days=HISTORY_DAYS)
        by_status = [(s.value, n) for s, n in numbers.by_status.items()]
        by_department = [(d.value, n) for d, n in numbers.by_department.items()]
        by_priority = [(p.value, n) for p, n in numbers.by_priority.items()]
        t = visitor_speech(place.session, place)
        answered = sum(day.answered for day in history)
        return page(
            "stats.html",
            visitor=place.session,
            place=place,
            stats=numbers,
            by_status=by_status,
            charts={
                "status": bar_chart(t._("Tickets by status"), by_status),
                "department": bar_chart(t._("Tickets by department"), by_department),
                "priority": bar_chart(t._("Tickets by priority"), by_priority),
                "response": response_chart(
                    t._("Median first-response time per day, last {days} days", days=HISTORY_DAYS),
                    history,
                    t,
                ),
            },
            answered=answered,
            days=HISTORY_DAYS,
        )
