"""Rendering pages: the Jinja2 templates (autoescaped), security headers, refusals.

Every member-written string reaches the page through a template variable, which Jinja2
escapes; nothing is marked safe but the SVG the chart module builds (and it escapes its
labels itself).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.errors import (
    DomainError,
    FeatureDisabled,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    LimitReached,
    NotConfigured,
    NotFound,
)
from wording.catalogue import error_text

HERE = Path(__file__).parent

# Pages may frame only themselves (the transcript is shown in an iframe of its ticket page);
# no script runs, no resource comes from anywhere but this server.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "no answers yet"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min" if seconds >= 60 else f"{round(seconds)} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours < 48 else f"{hours // 24} days"


MENTION = re.compile(r"<(@!?|@&|#)(\d{1,20})>")
MENTION_WORDS = {"@": "@user {}", "@!": "@user {}", "@&": "@role {}", "#": "#channel {}"}


def _mentions(text: str) -> str:
    """Discord's mention syntax in stored messages, as words a browser can show."""
    return MENTION.sub(lambda m: MENTION_WORDS[m.group(1)].format(m.group(2)), text)


templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"], default=True),
    undefined=StrictUndefined,  # a typo in a template fails the tests, not silently
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["when"] = _when
templates.filters["duration"] = _duration
templates.filters["mentions"] = _mentions


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def see_other(url: str) -> RedirectResponse:
    """After a form is handled: the browser loads `url` with GET (Post/Redirect/Get)."""
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


STATUS_FOR: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (InvalidInput, 400),
    (InvalidTransition, 409),
    (LimitReached, 409),
    (NotConfigured, 409),
    (FeatureDisabled, 503),
)


def status_for(error: DomainError) -> int:
    return next((status for kind, status in STATUS_FOR if isinstance(error, kind)), 400)


def refusal(error: DomainError) -> str:
    """The sentence Discord users get, without Discord's syntax."""
    return error_text(error, plain=True)


class PageError(Exception):
    """A page that can't be shown: rendered as an error page with this status."""

    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail


def error_page(request: Request, status: int, title: str, detail: str = "") -> HTMLResponse:
    visitor = getattr(request.state, "visitor", None)
    return page(
        "error.html", status_code=status, title=title, detail=detail, visitor=visitor, place=None
    )
