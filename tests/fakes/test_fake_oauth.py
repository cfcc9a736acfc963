"""Self-tests of the fake Discord's OAuth2: authorize, consent, code for token, bearer calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.fakes.discord import FakeDiscord

REDIRECT = "http://desk.test/callback"


@pytest.fixture
async def http(fake: FakeDiscord) -> AsyncIterator[httpx.AsyncClient]:
    fake.oauth.redirect_uris.append(REDIRECT)
    async with httpx.AsyncClient(base_url=fake.state.base_url) as client:
        yield client


def authorize_query(fake: FakeDiscord, **extra: str) -> dict[str, str]:
    return {
        "client_id": str(fake.oauth.client_id),
        "response_type": "code",
        "scope": "identify guilds",
        "redirect_uri": REDIRECT,
        "state": "xyz",
        **extra,
    }


def consent_form(fake: FakeDiscord, decision: str = "authorize") -> dict[str, str]:
    return {**authorize_query(fake), "decision": decision}


def redirected_query(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def log_in(fake: FakeDiscord, http: httpx.AsyncClient, name: str) -> str:
    """The whole dance for `name`; returns an access token."""
    member = fake.state.member_named(fake.guild, name)
    fake.oauth.signed_in = int(member["user"]["id"])
    answer = await http.post("/oauth2/authorize", data=consent_form(fake))
    code = redirected_query(answer)["code"]
    token = await http.post(
        "/api/v10/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        auth=(str(fake.oauth.client_id), fake.oauth.client_secret),
    )
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == "identify guilds"
    return token.json()["access_token"]


async def test_nobody_signed_in_gets_the_login_form_then_the_consent_page(fake, http):
    page = await http.get("/oauth2/authorize", params=authorize_query(fake))
    assert "Log in to Discord" in page.text
    answer = await http.post(
        "/login", data={"username": "alice", "next": page.url.raw_path.decode()}
    )
    assert answer.status_code == 302
    consent = await http.get(answer.headers["location"])
    assert "Authorize" in consent.text and "alice" in consent.text


async def test_an_unregistered_redirect_uri_or_client_is_refused(fake, http):
    wrong = await http.get(
        "/oauth2/authorize", params=authorize_query(fake, redirect_uri="http://evil.test/cb")
    )
    assert wrong.status_code == 400 and "redirect_uri" in wrong.text
    other = await http.get("/oauth2/authorize", params=authorize_query(fake, client_id="1"))
    assert other.status_code == 400


async def test_cancel_sends_access_denied_back_with_the_state(fake, http):
    fake.oauth.signed_in = fake.guild.owner_id
    answer = await http.post("/oauth2/authorize", data=consent_form(fake, "cancel"))
    assert redirected_query(answer) | {} == {
        "error": "access_denied",
        "error_description": "The resource owner or authorization server denied the request",
        "state": "xyz",
    }


async def test_prompt_none_skips_consent_once_authorized(fake, http):
    await log_in(fake, http, "alice")
    answer = await http.get("/oauth2/authorize", params=authorize_query(fake, prompt="none"))
    assert "code" in redirected_query(answer)


async def test_bearer_token_reads_the_member_and_their_servers(fake, http):
    token = await log_in(fake, http, "alice")
    headers = {"Authorization": f"Bearer {token}"}
    me = (await http.get("/api/v10/users/@me", headers=headers)).json()
    assert me["username"] == "alice"
    guilds = (await http.get("/api/v10/users/@me/guilds", headers=headers)).json()
    assert [g["id"] for g in guilds] == [str(fake.guild.id)]
    # A bearer token is no bot token: other routes refuse it.
    member = await http.get(f"/api/v10/guilds/{fake.guild.id}/members/{me['id']}", headers=headers)
    assert member.status_code == 401


async def test_a_code_works_once_and_only_with_the_right_secret(fake, http):
    fake.oauth.signed_in = fake.guild.owner_id
    code = redirected_query(await http.post("/oauth2/authorize", data=consent_form(fake)))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    bad = await http.post(
        "/api/v10/oauth2/token", data=form, auth=(str(fake.oauth.client_id), "wrong")
    )
    assert bad.status_code == 401 and bad.json() == {"error": "invalid_client"}
    creds = {"client_id": str(fake.oauth.client_id), "client_secret": fake.oauth.client_secret}
    assert (await http.post("/api/v10/oauth2/token", data=form | creds)).status_code == 200
    again = await http.post("/api/v10/oauth2/token", data=form | creds)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_an_unknown_or_revoked_token_is_unauthorized(fake, http):
    token = await log_in(fake, http, "bob")
    fake.oauth.revoke_all()
    answer = await http.get("/api/v10/users/@me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
