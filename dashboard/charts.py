"""Charts as inline SVG, drawn on the server: no script, no CDN, readable on a phone
(the drawing scales to the page's width through its viewBox).

Labels are escaped here: the result is inserted into a page as markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markupsafe import Markup

from core.models import DailyResponse
from i18n import Speech, speech

WIDTH = 640
BAR_HEIGHT = 32
LABEL_WIDTH = 170
COUNT_WIDTH = 50
COLOURS = ("#5865f2", "#3ba55d", "#faa61a", "#ed4245", "#9b59b6", "#1abc9c")


def _svg(height: int, title: str, body: list[str], font_size: int = 18) -> Markup:
    e = html.escape
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" font-size="{font_size}" role="img" '
        f'aria-label="{e(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{e(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(title: str, counts: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per label, each with its count written beside it."""
    e = html.escape
    top = max((count for _, count in counts), default=0) or 1
    room = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    body = []
    for index, (label, count) in enumerate(counts):
        y = index * BAR_HEIGHT
        width = round(room * count / top)
        colour = COLOURS[index % len(COLOURS)]
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 22}" text-anchor="end">{e(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{width}" height="{BAR_HEIGHT - 10}" '
            f'fill="{colour}" rx="3"><title>{e(label)}: {count}</title></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 22}">{count}</text>'
        )
    return _svg(max(len(counts), 1) * BAR_HEIGHT, title, body)


def response_chart(title: str, history: Sequence[DailyResponse], t: Speech | None = None) -> Markup:
    """One column per day: the median first-response time in hours (no column for a day
    without answers), the axis labelled with the longest time and the first/last day."""
    e = html.escape
    t = t or speech()
    height, left, bottom, top_pad = 200, 56, 24, 12
    plot_h = height - bottom - top_pad
    hours = [h.median_seconds / 3600 for h in history if h.median_seconds is not None]
    ceiling = max(hours, default=0.0) or 1.0
    step = (WIDTH - left - 8) / max(len(history), 1)
    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - 4}" y2="{top_pad + plot_h}" '
        'stroke="#888"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#888"/>',
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end">{_hours(ceiling)}</text>',
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>',
    ]
    for index, day in enumerate(history):
        if day.median_seconds is None:
            continue
        value = day.median_seconds / 3600
        bar = max(round(plot_h * value / ceiling), 2)
        x = left + index * step + 1
        label = t.ngettext(
            "{day}: median {time} over {count} ticket",
            "{day}: median {time} over {count} tickets",
            day.answered,
            day=day.day.isoformat(),
            time=_hours(value),
        )
        body.append(
            f'<rect x="{x:.1f}" y="{top_pad + plot_h - bar}" width="{max(step - 2, 1):.1f}" '
            f'height="{bar}" fill="#5865f2"><title>{e(label)}</title></rect>'
        )
    if history:
        first, last = history[0].day.isoformat(), history[-1].day.isoformat()
        body.append(f'<text x="{left}" y="{height - 6}">{first}</text>')
        body.append(f'<text x="{WIDTH - 4}" y="{height - 6}" text-anchor="end">{last}</text>')
    return _svg(height, title, body, font_size=12)


def _hours(value: float) -> str:
    if value < 1:
        return f"{round(value * 60)} min"
    return f"{value:.1f} h"
