"""The language of the API's sentences (its refusals, a form's "why not").

English unless the request's `Accept-Language` names one of the desk's languages: an
integration reads the status and `field`, not the sentence, so English stays the default,
and a client that shows the sentence to a person asks for theirs the HTTP way. A language
is matched as `i18n` matches Discord's locales: the same tag, else the same language
(`es-MX` reads es-ES, `pt` reads pt-BR); the first one the header prefers wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request

from i18n import DEFAULT_LOCALE, Speech, available_locales, speech


def _preferred(header: str) -> list[str]:
    """The header's language tags, most wanted first (`q=0` means "not this one")."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and tag != "*" and weight > 0:
            ranked.append((-weight, index, tag))
    return [tag for _, _, tag in sorted(ranked)]


def _match(tag: str) -> str | None:
    known = available_locales()
    wanted = tag.lower()
    for code in known:
        if code.lower() == wanted:
            return code
    language = wanted.split("-")[0]
    for code in known:
        if code.split("-")[0].lower() == language:
            return code
    return None


def accepted_speech(header: str | None) -> Speech:
    """The desk's language the `Accept-Language` value asks for first; else English."""
    for tag in _preferred(header or ""):
        code = _match(tag)
        if code is not None:
            return speech(code)
    return speech(DEFAULT_LOCALE)


def request_speech(request: Request) -> Speech:
    return accepted_speech(request.headers.get("accept-language"))


def scope_speech(headers: Mapping[bytes, bytes]) -> Speech:
    """The same for a raw ASGI scope's headers (middleware runs before any Request)."""
    return accepted_speech(headers.get(b"accept-language", b"").decode("latin-1"))
