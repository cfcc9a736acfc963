"""Logging in with Discord: state checked, a signed HttpOnly SameSite session, expiry,
logout; the dashboard off (with the reason) while its settings are missing."""

from __future__ import annotations

from datetime import timedelta

import httpx

from api.app import create_app
from core.clock import ManualClock
from core.services import build_services
from tests.dashboard.conftest import FakeDeskSide, dashboard_settings
from tests.fakes.store import MemoryStore


async def test_a_visitor_is_asked_to_log_in_and_comes_back_where_they_were(site):
    first = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert first.status_code == 303
    assert first.headers["location"] == f"/login?next=/servers/{site.guild_id}/tickets"
    start = await site.http.get(first.headers["location"])
    authorize = start.headers["location"]
    assert authorize.startswith(f"{site.fake.state.base_url}/oauth2/authorize?")
    assert "scope=identify+guilds" in authorize and "state=" in authorize
    assert "HttpOnly" in start.headers["set-cookie"]

    done = await site.log_in("alice", next_path=f"/servers/{site.guild_id}/tickets")
    assert done.status_code == 303
    assert done.headers["location"] == f"/servers/{site.guild_id}/tickets"
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("desk_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    page = await site.http.get(done.headers["location"])
    assert page.status_code == 200 and "My tickets" in page.text and "Alice" in page.text


async def test_a_callback_with_another_state_is_refused(site):
    await site.http.get("/login")  # this browser's login began with its own state
    site.fake.oauth.signed_in = site.user_id("alice")
    answer = await site.http.get("/callback", params={"code": "x", "state": "forged"})
    assert answer.status_code == 400 and "Login expired" in answer.text
    assert "desk_session" not in answer.headers.get("set-cookie", "")


async def test_a_login_cancelled_at_discord_logs_nobody_in(site):
    site.fake.oauth.signed_in = site.user_id("alice")
    start = await site.http.get("/login")
    query = dict(httpx.URL(start.headers["location"]).params)
    back = await site.discord_http.post("/oauth2/authorize", data={**query, "decision": "cancel"})
    answer = await site.http.get(back.headers["location"])
    assert answer.status_code == 403 and "Login cancelled" in answer.text


async def test_the_session_expires_after_twelve_hours(site):
    await site.log_in("alice")
    assert (await site.http.get(f"/servers/{site.guild_id}/tickets")).status_code == 200
    site.clock.advance(hours=12, seconds=1)
    expired = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert expired.status_code == 303 and expired.headers["location"].startswith("/login")


async def test_a_tampered_cookie_is_no_session(site):
    await site.log_in("alice")
    cookie = site.http.cookies["desk_session"]
    site.http.cookies.set("desk_session", cookie[:-3] + "abc", domain="desk.test")
    answer = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert answer.status_code == 303


async def test_logout_needs_the_form_token_and_ends_the_session(site):
    await site.log_in("alice")
    forged = await site.http.post("/logout", data={"csrf_token": "nope"})
    assert forged.status_code == 403
    token = await site.csrf(f"/servers/{site.guild_id}/tickets")
    out = await site.http.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303
    assert (await site.http.get(f"/servers/{site.guild_id}/tickets")).status_code == 303


async def test_servers_without_the_desk_are_not_listed(site):
    other = site.fake.state.build_guild("Elsewhere")  # alice is not in it, the bot neither
    site.fake.state.add_member(other, site.fake.state.users[site.user_id("alice")], [])
    await site.log_in("alice")
    home = await site.http.get("/")
    assert home.headers["location"] == f"/servers/{site.guild_id}/tickets"
    answer = await site.http.get(f"/servers/{other.id}/tickets")
    assert answer.status_code == 404


async def test_the_dashboard_says_which_settings_are_missing(fake):
    settings = dashboard_settings(fake, SESSION_SECRET="short")
    services = build_services(MemoryStore(), settings, ManualClock())
    app = create_app(services, settings, FakeDeskSide(fake))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as http:
        answer = await http.get("/")
    assert answer.status_code == 503
    assert "SESSION_SECRET (at least 32 characters)" in answer.text


async def test_the_session_lasts_no_longer_than_its_cookie(site):
    done = await site.log_in("bob")
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("desk_session="))
    assert f"Max-Age={int(timedelta(hours=12).total_seconds())}" in cookie


async def test_a_member_of_two_desk_servers_chooses_one(site):
    second = site.fake.state.build_guild("Second Server")
    site.fake.state.bot_guild_ids.append(second.id)
    site.fake.state.add_member(second, site.fake.state.users[site.user_id("alice")], [])
    await site.log_in("alice")
    home = await site.http.get("/")
    assert home.status_code == 200 and "Your servers" in home.text
    assert f"/servers/{second.id}/tickets" in home.text and "Help Desk" in home.text
    picked = await site.http.get(f"/servers/{site.guild_id}")
    assert picked.headers["location"] == f"/servers/{site.guild_id}/tickets"


async def test_without_the_bot_to_check_roles_no_page_is_shown(site):
    await site.log_in("staff")
    site.side.verified = False  # a separate API process: nobody can ask Discord
    answer = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert answer.status_code == 503 and "could not be checked" in answer.text


async def test_a_member_who_left_the_server_is_refused(site):
    await site.log_in("bob")
    del site.fake.guild.members[site.user_id("bob")]
    answer = await site.http.get(f"/servers/{site.guild_id}/tickets")
    assert answer.status_code == 403 and "no longer a member" in answer.text
