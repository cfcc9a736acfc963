"""The real bot process serving the dashboard (API_PORT and the dashboard settings), the
fake Discord as both the bot's Discord and the members' "Log in with Discord".

async def test_x(web): ...   # web.desk: the Desk driver; web.url: the dashboard's base URL
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.e2e.api.conftest import free_port
from tests.e2e.conftest import DeskFactory
from tests.e2e.dashboard.browser import BROWSER_SKIPPED, chromium  # noqa: F401 (fixture)
from tests.e2e.helpers import set_up
from tests.fakes.discord.driver import Desk

SESSION_SECRET = "an-e2e-session-secret-long-enough-to-count"


@dataclass
class Web:
    desk: Desk
    url: str

    @property
    def guild_url(self) -> str:
        return f"{self.url}/servers/{self.desk.guild_id}"

    async def log_in(self, http: httpx.AsyncClient, name: str) -> None:
        """`name` logs in on the dashboard through the fake Discord, as a browser does."""
        oauth = self.desk.fake.oauth
        oauth.signed_in = self.desk.member(name).id
        start = await http.get(f"{self.url}/login")
        query = dict(parse_qsl(urlsplit(start.headers["location"]).query))
        decision = await http.post(
            f"{self.desk.fake.state.base_url}/oauth2/authorize",
            data={**query, "decision": "authorize"},
        )
        done = await http.get(decision.headers["location"])
        assert done.status_code == 303, done.text

    async def post_form(self, http: httpx.AsyncClient, page: str, action: str, **data: str):
        shown = await http.get(page)
        token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
        assert token, shown.text[:400]
        return await http.post(action, data={"csrf_token": token.group(1), **data})


def dashboard_env(desk_fake, port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    desk_fake.oauth.redirect_uris.append(f"{url}/callback")
    return {
        "API_PORT": str(port),
        "DASHBOARD_URL": url,
        "DISCORD_CLIENT_ID": str(desk_fake.oauth.client_id),
        "DISCORD_CLIENT_SECRET": desk_fake.oauth.client_secret,
        "SESSION_SECRET": SESSION_SECRET,
        "DISCORD_OAUTH_URL": f"{desk_fake.state.base_url}/oauth2/authorize",
    }


@pytest.fixture
async def web(fake_discord, desk_factory: DeskFactory) -> AsyncIterator[Web]:
    port = free_port()
    desk = await desk_factory(dashboard_env(fake_discord, port))
    await set_up(desk)
    yield Web(desk, f"http://127.0.0.1:{port}")


def pytest_terminal_summary(terminalreporter) -> None:
    """One visible line when the browser tests could not run (also under xdist, where the
    skips are reported to this process)."""
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if BROWSER_SKIPPED in reason:
            terminalreporter.write_line(reason.removeprefix("Skipped: "))
            return
