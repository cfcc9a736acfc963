"""Every refusal as SPEC §8 answers it: `{"error": "<the sentence Discord users get>"}`,
plus `"field"` for bad input, with the status its kind of refusal calls for.

The sentence is the catalogue's plain variant (wording/catalogue.py): the same words as
in Discord, minus Discord's own bits (mentions, slash-command hints). Nothing else ever
leaves: an unexpected failure is logged and answered with a fixed sentence, never a trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.language import request_speech
from api.schemas import Error
from core.errors import (
    DomainError,
    FeatureDisabled,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    LimitReached,
    Message,
    NotConfigured,
    NotFound,
)
from core.form_answers import FormAnswersInvalid
from i18n import Speech, speech
from wording.catalogue import error_text, say_plain

log = logging.getLogger(__name__)

STATUS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Forbidden, 403),
    (InvalidInput, 400),
    (FormAnswersInvalid, 400),
    (InvalidTransition, 409),
    (LimitReached, 409),
    (NotConfigured, 409),
    (FeatureDisabled, 503),
]
# Refusals that are about time, not state: the caller may simply try again later.
RETRY_LATER = {"ticket.cooldown": "seconds"}


# Documented on every endpoint of the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": description}
    for status, description in [
        (400, "Bad input: `field` names the field or form question"),
        (401, "No credential, or one that is not valid (revoked keys included)"),
        (403, "Not allowed (e.g. another member's ticket, staff-only statistics)"),
        (404, "Unknown id (also an id of another server)"),
        (409, "Conflict: a closed ticket, a limit reached, a server not set up"),
        (413, "Body over 64 KiB"),
        (429, "Rate limited: see Retry-After"),
        (503, "The feature is switched off on this server"),
    ]
}


class Unauthorized(DomainError):
    """No credential, or one that is not (or no longer) valid: 401."""


class TooManyRequests(DomainError):
    """Over the rate limit: 429 with Retry-After."""


def status_of(error: DomainError) -> int:
    if isinstance(error, Unauthorized):
        return 401
    if isinstance(error, TooManyRequests) or error.code in RETRY_LATER:
        return 429
    return next((status for kind, status in STATUS if isinstance(error, kind)), 400)


def refusal(error: DomainError, t: Speech | None = None) -> JSONResponse:
    """The refusal in `t`'s language (the request's Accept-Language; English if none)."""
    t = t or speech()
    body: dict[str, Any] = {"error": error_text(error, plain=True, t=t)}
    if isinstance(error, FormAnswersInvalid):
        body["field"] = error.field
        body["problems"] = [
            {"field": error.labels[qid], "error": say_plain(rule, t)}
            for qid, rule in error.errors.items()
        ]
    elif error.field:
        body["field"] = error.field
    headers = {}
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    seconds = error.params.get(RETRY_LATER.get(error.code, "retry_after"))
    if status_of(error) == 429 and isinstance(seconds, int):
        headers["Retry-After"] = str(seconds)
    return JSONResponse(body, status_code=status_of(error), headers=headers)


def _field_of(location: tuple[Any, ...]) -> str:
    names = [str(part) for part in location[1:] if not isinstance(part, int)]
    if location and location[0] == "body" and not names:
        return "body"
    return ".".join(names) or str(location[0] if location else "request")


def _rule_of(problem: dict[str, Any]) -> Message:
    kind = problem.get("type", "")
    if kind == "missing":
        return Message("input.required")
    if kind == "extra_forbidden":
        return Message("api.unknown_field")
    if kind in ("string_type", "string_unicode"):
        return Message("input.not_text")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Message("api.whole_number")
    if kind in ("json_invalid", "json_type"):
        return Message("api.bad_json")
    if kind in ("dict_type", "model_attributes_type", "model_type"):
        return Message("api.not_an_object")
    return Message("api.invalid")


def bad_request(error: RequestValidationError, t: Speech | None = None) -> JSONResponse:
    problem = error.errors()[0] if error.errors() else {}
    location = tuple(problem.get("loc", ()))
    rule = _rule_of(problem)
    field = "body" if rule.code == "api.bad_json" else _field_of(location)
    return refusal(InvalidInput(field, rule), t)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return refusal(error, request_speech(request))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return bad_request(error, request_speech(request))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        t = request_speech(request)
        if error.status_code == 400:  # FastAPI could not read the body (not UTF-8...)
            return refusal(InvalidInput("body", "api.bad_json"), t)
        if error.status_code == 404:
            message = Message("api.no_such_path")
        elif error.status_code == 405:
            message = Message("api.method_not_allowed")
        else:
            message = Message("api.invalid")
        return JSONResponse({"error": say_plain(message, t)}, status_code=error.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("HTTP %s %s failed", request.method, request.url.path)
        text = say_plain(Message("api.internal"), request_speech(request))
        return JSONResponse({"error": text}, status_code=500)
