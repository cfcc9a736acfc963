"""Headless Chromium from Debian's package, driven by Playwright (`playwright install`
cannot download browsers here). Where it is missing the browser tests are skipped, and
the end of the test run says so in one line (tests/e2e/dashboard/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_SKIPPED = "browser tests skipped"


def why_no_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture
async def chromium() -> AsyncIterator[object]:
    reason = why_no_browser()
    if reason is not None:
        pytest.skip(f"{BROWSER_SKIPPED}: {reason}")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            await browser.close()
