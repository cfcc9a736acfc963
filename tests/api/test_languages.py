"""The API's sentences: English unless Accept-Language names one of the desk's languages."""

from __future__ import annotations

import pytest

from api.language import accepted_speech
from tests.api.conftest import ALICE


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en-US"),
        ("", "en-US"),
        ("ja, ko;q=0.8", "en-US"),  # no catalogue for either: English
        ("de", "de"),
        ("de-AT", "de"),  # the same language
        ("es-MX,es;q=0.9", "es-ES"),
        ("pt", "pt-BR"),
        ("fr;q=0.4, pt-BR;q=0.9, *;q=0.1", "pt-BR"),  # the most wanted first
        ("ja, fr-CA;q=0.5", "fr"),  # the first the desk speaks
        ("de;q=0, fr", "fr"),  # q=0: not German
        ("en-GB, de", "en-US"),
    ],
)
def test_accept_language_picks_the_desks_language(header, locale):
    assert accepted_speech(header).locale == locale


async def test_refusals_follow_accept_language(api):
    english = await api.http.get("/api/tickets")
    assert english.status_code == 401 and "server key" in english.json()["error"]
    german = await api.http.get("/api/tickets", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert german.status_code == 401
    assert german.json()["error"].startswith("Keine Zugangsdaten")

    bad = await api.http.post(
        "/api/tickets/create",
        json={"subject": "", "message": "x", "user_id": str(ALICE)},
        headers={**api.auth(), "Accept-Language": "fr"},
    )
    # The field keeps its name (clients read it); the sentence is French.
    assert bad.json() == {"error": "subject : ne doit pas être vide", "field": "subject"}

    too_large = await api.http.post(
        "/api/tickets/create",
        content=b'{"subject": "' + b"a" * 70_000 + b'"}',
        headers={**api.auth(), "content-type": "application/json", "Accept-Language": "es"},
    )
    assert too_large.status_code == 413
    assert "demasiado grande" in too_large.json()["error"]

    unknown = await api.http.get("/api/nowhere", headers={"Accept-Language": "pt-BR"})
    assert unknown.status_code == 404 and "não existe" in unknown.json()["error"]
