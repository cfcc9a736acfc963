"""The integrations' services (SPEC §8) against both stores: API keys, the rate limit,
domain events turned into webhook deliveries and Discord jobs in the same unit of work."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from core.clock import ManualClock
from core.errors import Forbidden, InvalidInput, LimitReached, NotFound
from core.events import front_end_without_discord
from core.integration_models import DiscordJobKind
from core.ports import Store
from core.services import Services, build_services
from core.settings import Settings
from core.webhooks import REPORT_AFTER, sign
from tests.core.conftest import GUILD, STAFF_ROLE, TICKET_CHANNEL, admin, member, server, staff
from tests.core.said import raises_worded
from tests.core.test_forms_service import ANSWERS, definition

URL = "https://hooks.example.com/desk"


@pytest.fixture
async def desk(store: Store, clock: ManualClock) -> Services:
    settings = Settings(DISCORD_TOKEN="t", API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=60)  # type: ignore[arg-type]
    services = build_services(store, settings, clock)
    await services.guilds.setup(
        admin(), ticket_channel_id=TICKET_CHANNEL, staff_role_id=STAFF_ROLE, server=server()
    )
    await services.guilds.set_limits(admin(), cooldown_seconds=0)
    return services


async def open_ticket(desk: Services, who: int = 1):
    return await desk.tickets.create(member(who), subject="Printer", message="On fire")


def bodies(deliveries) -> list[dict]:
    return [json.loads(d.body) for d, _ in deliveries]


# -- API keys --------------------------------------------------------------------------------


async def test_a_key_is_shown_once_and_kept_as_a_hash(desk: Services, store: Store) -> None:
    record, key = await desk.api_keys.create(admin(), "CRM")
    assert key.startswith(f"tdk_{record.prefix}_") and key not in record.key_hash
    assert (await desk.api_keys.authenticate(key)) == record
    assert await desk.api_keys.authenticate(key[:-1] + "x") is None
    assert await desk.api_keys.authenticate("tdk_000000000000_" + "a" * 40) is None
    assert await desk.api_keys.authenticate("not a key") is None
    with raises_worded(InvalidInput, "already exists"):
        await desk.api_keys.create(admin(), "CRM")
    await desk.api_keys.revoke(admin(), "CRM")
    assert await desk.api_keys.authenticate(key) is None
    assert await desk.api_keys.list(admin()) == []
    await desk.api_keys.create(admin(), "CRM")  # the name is free again


async def test_only_admins_manage_keys(desk: Services) -> None:
    with pytest.raises(Forbidden):
        await desk.api_keys.create(staff(), "CRM")
    with raises_worded(NotFound, "No API key named “nope”"):
        await desk.api_keys.revoke(admin(), "nope")


async def test_rate_limit_per_bucket_and_window(desk: Services, clock: ManualClock) -> None:
    waits = [await desk.rate_limits.hit("key:1") for _ in range(4)]
    assert waits[:3] == [None, None, None] and waits[3] is not None and 1 <= waits[3] <= 60
    assert await desk.rate_limits.hit("key:2") is None
    clock.advance(seconds=60)
    assert await desk.rate_limits.hit("key:1") is None


# -- events into webhook deliveries ----------------------------------------------------------


async def test_each_change_becomes_a_delivery_in_the_same_write(desk: Services) -> None:
    hook = await desk.webhooks.add(admin(), URL, None)
    ticket = await open_ticket(desk)
    await desk.tickets.reply(staff(), ticket.id, "Unplug it")
    await desk.tickets.close(member(), ticket.id, "Works")
    claimed = await desk.webhooks.claim_due([GUILD])
    # One at a time per ticket: the oldest first.
    assert [b["event"] for b in bodies(claimed)] == ["ticket.created"]
    created = bodies(claimed)[0]
    assert created["ticket"]["id"] == ticket.id and created["ticket"]["owner_id"] == "1"
    events = []
    while claimed:
        events += [b["event"] for b in bodies(claimed)]
        for delivery, _ in claimed:
            await desk.webhooks.delivered(delivery)
        claimed = await desk.webhooks.claim_due([GUILD])
    assert events == [
        "ticket.created",
        "ticket.replied",
        "ticket.status_changed",
        "ticket.status_changed",
        "ticket.closed",
    ]
    assert hook.events and len(hook.secret) == 64


async def test_webhook_subscriptions_and_other_guilds(desk: Services) -> None:
    await desk.webhooks.add(admin(), URL, "form.submitted, form.reviewed")
    form = await desk.forms.create(admin(), definition())
    await open_ticket(desk)  # not subscribed
    submission = await desk.forms.submit(member(), form.id, set(), ANSWERS)
    await desk.forms.review(staff(), submission.id, accept=True)
    assert await desk.webhooks.claim_due([GUILD + 1]) == []
    claimed = await desk.webhooks.claim_due([GUILD])
    assert [b["event"] for b in bodies(claimed)] == ["form.submitted"]
    assert bodies(claimed)[0]["submission"]["answers"] == {"name": "Jane", "age": 30}


async def test_webhook_urls_and_events_are_checked(desk: Services) -> None:
    with raises_worded(InvalidInput, "url: must be a web address"):
        await desk.webhooks.add(admin(), "ftp://x", None)
    with raises_worded(InvalidInput, "private or local"):
        await desk.webhooks.add(admin(), "http://127.0.0.1:8080/x", None)
    with raises_worded(InvalidInput, "private or local"):
        await desk.webhooks.add(admin(), "http://[::1]/x", None)
    with raises_worded(InvalidInput, "'ticket.opened' is not an event"):
        await desk.webhooks.add(admin(), URL, "ticket.opened")
    with pytest.raises(Forbidden):
        await desk.webhooks.add(staff(), URL, None)
    for _ in range(10):
        await desk.webhooks.add(admin(), URL, None)
    with pytest.raises(LimitReached):
        await desk.webhooks.add(admin(), URL, None)
    with raises_worded(NotFound, "Webhook #99 was not found"):
        await desk.webhooks.remove(admin(), 99)


async def test_failures_back_off_report_once_and_give_up_after_a_day(
    desk: Services, clock: ManualClock
) -> None:
    await desk.webhooks.add(admin(), URL, "ticket.created")
    await open_ticket(desk)
    reported = []
    for attempt in range(1, REPORT_AFTER + 2):
        [(delivery, _)] = await desk.webhooks.claim_due([GUILD])
        assert delivery.attempts == attempt
        reported.append(await desk.webhooks.failed(delivery, "503") is not None)
        assert await desk.webhooks.claim_due([GUILD]) == []  # waiting out its pause
        clock.advance(hours=1)
    assert reported == [False] * (REPORT_AFTER - 1) + [True, False]
    clock.advance(days=1)
    [(delivery, _)] = await desk.webhooks.claim_due([GUILD])
    await desk.webhooks.failed(delivery, "503")
    clock.advance(days=1)
    assert await desk.webhooks.claim_due([GUILD]) == []  # given up
    [(hook, pending)] = await desk.webhooks.list(admin())
    assert pending == 0 and hook.failures == REPORT_AFTER + 2


async def test_a_restart_takes_deliveries_leased_by_its_previous_life(desk: Services) -> None:
    await desk.webhooks.add(admin(), URL, None)
    await open_ticket(desk)
    assert len(await desk.webhooks.claim_due([GUILD])) == 1
    assert await desk.webhooks.claim_due([GUILD]) == []  # leased
    assert len(await desk.webhooks.claim_due([GUILD], due_only=False)) == 1


async def test_a_ticket_taken_back_unseen_sends_nothing(desk: Services) -> None:
    await desk.webhooks.add(admin(), URL, None)
    ticket = await desk.tickets.create(
        member(), subject="Printer", message="On fire", claim_thread=True
    )
    await desk.tickets.discard(ticket.id)
    assert await desk.webhooks.claim_due([GUILD]) == []


def test_the_signature_is_hmac_sha256_of_the_raw_body() -> None:
    expected = hmac.new(b"secret", b'{"a":1}', hashlib.sha256).hexdigest()
    assert sign("secret", b'{"a":1}') == f"sha256={expected}"


# -- Discord jobs queued by a front end without Discord ----------------------------------------


async def test_only_writes_of_a_front_end_without_discord_queue_discord_work(
    desk: Services,
) -> None:
    ticket = await open_ticket(desk)
    await desk.tickets.store_reply(staff(), ticket.id, "From Discord")
    assert await desk.discord_jobs.claim_due([GUILD]) == []
    with front_end_without_discord("API key “CRM”"):
        stored = await desk.tickets.store_reply(staff(), ticket.id, "From the API")
        await desk.tickets.close(staff(), ticket.id)
    jobs = await desk.discord_jobs.claim_due([GUILD])
    assert [(j.kind, j.payload.get("reply_id")) for j in jobs] == [
        (DiscordJobKind.POST_REPLY, stored.reply.id),
        (DiscordJobKind.FINISH_CLOSE, None),
    ]
    assert jobs[0].payload["by"] == "API key “CRM”"
    found = await desk.discord_jobs.reply_to_post(jobs[0])
    assert found is not None and found[1] == stored.reply


async def test_a_submission_over_http_is_queued_for_review(desk: Services) -> None:
    form = await desk.forms.create(admin(), definition())
    with front_end_without_discord("API key “CRM”"):
        submission = await desk.forms.submit(member(), form.id, set(), ANSWERS)
    [job] = await desk.discord_jobs.claim_due([GUILD])
    assert job.kind is DiscordJobKind.POST_SUBMISSION
    assert (await desk.discord_jobs.submission_to_post(job))[1].id == submission.id


async def test_failed_jobs_wait_then_are_given_up_after_a_day(
    desk: Services, clock: ManualClock
) -> None:
    ticket = await open_ticket(desk)
    with front_end_without_discord("API key “CRM”"):
        await desk.tickets.store_reply(staff(), ticket.id, "Hi")
    [job] = await desk.discord_jobs.claim_due([GUILD])
    assert await desk.discord_jobs.failed(job, "Discord 503") is True
    assert await desk.discord_jobs.claim_due([GUILD]) == []
    clock.advance(seconds=5)
    [job] = await desk.discord_jobs.claim_due([GUILD])
    assert job.attempts == 2
    clock.advance(days=1)
    assert await desk.discord_jobs.failed(job, "Discord 503") is False
    clock.advance(days=1)
    assert await desk.discord_jobs.claim_due([GUILD]) == []
