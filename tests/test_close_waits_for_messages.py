"""A close in a ticket thread waits for the thread's messages already being stored (the
lock the mirror holds while storing one), so its transcript has them; but never long
enough to miss Discord's 3 s for an interaction's answer."""

from __future__ import annotations

import asyncio

import discord

import cogs.shared.desk
from cogs.shared.desk import TicketDesk


def a_thread(thread_id: int) -> discord.Thread:
    thread = object.__new__(discord.Thread)  # only its id and type matter here
    thread.id = thread_id
    return thread


async def test_a_close_waits_while_a_message_is_being_stored():
    desk = TicketDesk(bot=None, services=None)  # type: ignore[arg-type]
    storing = desk.thread_lock(42)
    await storing.acquire()  # the mirror, in the middle of storing a message
    waiting = asyncio.create_task(desk.stored_so_far(a_thread(42)))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await desk.stored_so_far(a_thread(43))  # another thread: no wait
    await desk.stored_so_far(object())  # not a thread (a close from another channel)
    storing.release()
    await asyncio.wait_for(waiting, 1)


async def test_a_close_waits_no_longer_than_its_patience(monkeypatch):
    monkeypatch.setattr(cogs.shared.desk, "STORED_PATIENCE", 0.05)
    desk = TicketDesk(bot=None, services=None)  # type: ignore[arg-type]
    catching_up = desk.thread_lock(42)
    await catching_up.acquire()  # a long catch-up of the thread's history
    await asyncio.wait_for(desk.stored_so_far(a_thread(42)), 1)
    assert catching_up.locked()  # still the catch-up's
    catching_up.release()
