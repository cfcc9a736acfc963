"""Canary: the attributes cogs/runtime/seams.py sets must still exist where discord.py reads them.

If an upgrade moves them, the bot would silently talk to discord.com in the tests.
"""

from __future__ import annotations

import inspect

import discord.gateway
import discord.http
import yarl


def test_route_base_is_where_requests_are_built() -> None:
    assert isinstance(discord.http.Route.BASE, str)
    assert "self.BASE" in inspect.getsource(discord.http.Route.__init__)


def test_gateway_default_is_where_the_websocket_connects() -> None:
    assert isinstance(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    source = inspect.getsource(discord.gateway.DiscordWebSocket.from_client)
    assert "cls.DEFAULT_GATEWAY" in source


def test_webhooks_share_the_route_base() -> None:
    from discord.webhook import async_

    assert async_.Route is discord.http.Route


def test_threads_share_their_repeated_values_and_keep_what_discord_sent() -> None:
    """cogs/runtime/slim_threads.py: the same thread as discord.py parses it, with the
    repeated values shared between threads (discord.py must still parse in `_from_data`)."""
    from discord.threads import Thread

    from cogs.runtime.slim_threads import _ORIGINAL_FROM_DATA, share_thread_values

    def payload(n: int) -> dict:
        stamp = "2026-12-06T18:00:00.123456+00:00"
        return {
            "id": str(10**17 + n),
            "type": 12,
            "guild_id": "1" * 18,
            "parent_id": "2" * 18,
            "owner_id": "3" * 18,
            "name": f"ticket-{n}",
            "last_message_id": str(10**17 + 1000 + n),
            "message_count": 1,
            "member_count": 2,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 10080,
                "archive_timestamp": stamp,
                "locked": False,
                "invitable": False,
                "create_timestamp": stamp,
            },
        }

    class Guild:
        id = int("1" * 18)

        def get_channel(self, channel_id: int) -> None:
            return None

    share_thread_values()
    try:
        first, second = (Thread(guild=Guild(), state=None, data=payload(n)) for n in (1, 2))  # type: ignore[arg-type]
        assert first.parent_id is second.parent_id and first.owner_id is second.owner_id
        assert first._applied_tags is second._applied_tags
        assert first.archive_timestamp is first._created_at
        plain = Thread.__new__(Thread)
        plain.guild, plain._state, plain._members = Guild(), None, {}  # type: ignore[assignment]
        _ORIGINAL_FROM_DATA(plain, payload(1))
        for name in (
            "id",
            "parent_id",
            "owner_id",
            "name",
            "last_message_id",
            "_applied_tags",
            "auto_archive_duration",
            "archive_timestamp",
            "created_at",
            "locked",
        ):
            assert getattr(first, name) == getattr(plain, name), name
    finally:
        Thread._from_data = _ORIGINAL_FROM_DATA  # type: ignore[method-assign]
