"""The dashboard in a real browser (headless Chromium), against the real bot process and
the fake Discord: log in with Discord, reply, close, read the transcript, see the stats.
A screenshot of every page goes to the test's temporary directory (`screens/`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import open_ticket, rows

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1100, "height": 800}


class Shots:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    async def take(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path


async def log_in_with_discord(page, web, name: str) -> None:
    """What a person does: the dashboard's button, Discord's login and Authorize."""
    await page.goto(web.url)
    await page.get_by_role("link", name="Log in with Discord").click()
    await page.fill("input[name=username]", name)  # the fake Discord's own login form
    await page.get_by_role("button", name="Log In").click()
    await page.get_by_role("button", name="Authorize").click()
    await page.wait_for_url(f"{web.url}/servers/**")


@pytest.mark.postgres
async def test_a_member_follows_and_answers_their_ticket_on_a_phone(chromium, web, tmp_path):
    _, thread = await open_ticket(web.desk, "alice", subject="Printer <b>on fire</b>")
    ticket_id = rows(web.desk, "SELECT id FROM tickets")[0][0]
    shots = Shots(tmp_path / "screens")
    context = await chromium.new_context(viewport=PHONE)
    page = await context.new_page()
    page.set_default_timeout(10_000)

    await log_in_with_discord(page, web, "alice")
    await page.get_by_role("heading", name="My tickets").wait_for()
    await shots.take(page, "my-tickets")
    await page.get_by_role("link", name="Printer <b>on fire</b>").click()  # text, not markup
    await page.get_by_role(
        "heading", name=f"Ticket #{ticket_id}: Printer <b>on fire</b>"
    ).wait_for()
    await page.fill("textarea[name=message]", "It is still smoking.")
    await page.get_by_role("button", name="Send reply").click()
    await page.get_by_text("Your reply was sent").wait_for()
    await shots.take(page, "ticket-after-reply")
    posted = await web.desk.next_message(thread, "It is still smoking.")
    assert "web dashboard" in posted.text
    await context.close()


async def test_staff_close_a_ticket_and_read_its_transcript_and_the_stats(chromium, web, tmp_path):
    _, thread = await open_ticket(web.desk, "alice", subject="Cannot log in")
    ticket_id = rows(web.desk, "SELECT id FROM tickets")[0][0]
    await web.desk.member("staff").say(thread, "Have you tried resetting your password?")
    shots = Shots(tmp_path / "screens")
    context = await chromium.new_context(viewport=DESKTOP)
    page = await context.new_page()
    page.set_default_timeout(10_000)

    await log_in_with_discord(page, web, "staff")
    await page.get_by_role("heading", name="Ticket queue").wait_for()
    await shots.take(page, "queue")
    await page.click(f"a[href$='/tickets/{ticket_id}'] >> nth=0")
    await page.get_by_text("Have you tried resetting your password?").wait_for()
    await page.fill("input[name=reason]", "Password reset worked")
    await page.get_by_role("button", name="Close ticket").click()
    await page.get_by_text("Ticket closed.").wait_for()
    await shots.take(page, "ticket-closed")
    await web.desk.next_message(thread, "was closed")

    await page.get_by_role("link", name="Transcript").click()
    frame = page.frame_locator("iframe.transcript")
    await frame.get_by_text("Have you tried resetting your password?").wait_for()
    await shots.take(page, "transcript")

    await page.get_by_role("link", name="Stats").click()
    chart = page.locator("svg.chart").first
    await chart.wait_for()
    assert await page.locator("svg.chart").count() == 4
    await shots.take(page, "stats")
    assert len(list((tmp_path / "screens").glob("*.png"))) == 4
    await context.close()
