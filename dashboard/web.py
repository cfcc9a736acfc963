"""Rendering pages: the Jinja2 templates (autoescaped), security headers, refusals.

Every member-written string reaches the page through a template variable, which Jinja2
escapes; nothing is marked safe but the SVG the chart module builds (and it escapes its
labels itself).
"""

from __future__ import annotations

import functools
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
from i18n import Speech, speech
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


def _duration(seconds: float | None, t: Speech) -> str:
    if seconds is None:
        return t._("no answers yet")
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


@functools.cache
def templates(locale: str) -> Environment:
    """The templates speaking one language. One environment per language, so installing
    its gettext callables never races with a page rendered in another language."""
    t = speech(locale)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,  # a typo in a template fails the tests, not silently
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # newstyle: `_("... %(name)s", name=x)`, the values escaped, the translation trusted.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        t.catalogue.gettext, t.catalogue.ngettext, newstyle=True, pgettext=t.catalogue.pgettext
    )
    env.globals["lang"] = t.locale
    env.filters["when"] = _when
    env.filters["duration"] = functools.partial(_duration, t=t)
    env.filters["mentions"] = _mentions
    return env


def page_speech(context: dict[str, Any]) -> Speech:
    """The visitor's language: their Discord locale, else the server's, else English."""
    return visitor_speech(context.get("visitor"), context.get("place"))


def visitor_speech(visitor: Any, place: Any = None) -> Speech:
    locale = getattr(visitor, "locale", None)
    if not locale and place is not None:
        locale = place.config.language
    return speech(locale)


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    t = page_speech(context)
    if isinstance(context.get("notice"), str):
        # Notices are English sentences marked with N_ where they are chosen.
        context["notice"] = t.template(context["notice"])
    html = templates(t.locale).get_template(name).render(**context)
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


def refusal(error: DomainError, t: Speech | None = None) -> str:
    """The sentence Discord users get, without Discord's syntax, in `t`'s language."""
    return error_text(error, plain=True, t=t)


class PageError(Exception):
    """A page that can't be shown: rendered as an error page with this status."""

    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail


def error_page(request: Request, status: int, title: str, detail: str = "") -> HTMLResponse:
    visitor = getattr(request.state, "visitor", None)
    place = getattr(request.state, "place", None)
    # Titles and details are English sentences marked with N_ where they are raised.
    t = visitor_speech(visitor, place)
    title, detail = t.template(title), t.template(detail) if detail else ""
    return page(
        "error.html", status_code=status, title=title, detail=detail, visitor=visitor, place=None
    )


def request_speech(request: Request) -> Speech:
    """The language of whoever is asking (once the route has read their session)."""
    return visitor_speech(
        getattr(request.state, "visitor", None), getattr(request.state, "place", None)
    )
