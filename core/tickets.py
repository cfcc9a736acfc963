"""Ticket operations: every rule of SPEC §2 is checked here, whatever the front end.

`TicketService` is the one door the front ends use (`services.tickets.create(...)`). It
is composed of parts, one per responsibility, each in its own module:

    opening        core/ticket_opening.py       create (the ticket waits for its thread)
    threads        core/ticket_threads.py       waiting for a thread, attach, retry, discard
    reading        core/ticket_reading.py       get, view, list, stats
    conversation   core/ticket_conversation.py  replies, mirrored messages, edits, notes
    lifecycle      core/ticket_lifecycle.py     resolve, close, auto-close, reopen
    triage         core/ticket_lifecycle.py     claim, priority, department
    hand_offs      core/ticket_handoff.py       AI answers, "talk to a human"

and the rules they share (loading with the permission check, a reply's status change) are
functions in core/ticket_rules.py.
"""

from __future__ import annotations

from core.clock import Clock
from core.guilds import GuildService
from core.ports import Store
from core.ticket_conversation import TicketConversation
from core.ticket_handoff import TicketHandOff
from core.ticket_lifecycle import TicketLifecycle, TicketTriage
from core.ticket_opening import TicketOpening
from core.ticket_reading import PAGE_SIZE, TicketReading
from core.ticket_threads import TicketThreads

__all__ = ["PAGE_SIZE", "TicketService"]


class TicketService:
    def __init__(self, store: Store, guilds: GuildService, clock: Clock) -> None:
        self.opening = TicketOpening(store, guilds, clock)
        self.threads = TicketThreads(store, clock)
        self.reading = TicketReading(store, guilds, clock)
        self.conversation = TicketConversation(store, guilds, clock)
        self.lifecycle = TicketLifecycle(store, guilds, clock)
        self.triage = TicketTriage(store, guilds, clock)
        self.hand_offs = TicketHandOff(store, guilds, clock)

        # The front ends call these by name on one object, whichever part does the work.
        self.create = self.opening.create
        self.waiting_for_thread = self.threads.waiting_for_thread
        self.still_waiting_for_thread = self.threads.still_waiting_for_thread
        self.attach_thread = self.threads.attach_thread
        self.thread_failed = self.threads.thread_failed
        self.discard = self.threads.discard

        self.require_enabled = self.reading.require_enabled
        self.get = self.reading.get
        self.by_thread = self.reading.by_thread
        self.view = self.reading.view
        self.all_replies = self.reading.all_replies
        self.list = self.reading.list
        self.stats = self.reading.stats
        self.response_history = self.reading.response_history
        self.unclosed_threads = self.reading.unclosed_threads
        self.live_threads = self.reading.live_threads

        self.reply = self.conversation.reply
        self.store_reply = self.conversation.store_reply
        self.withdraw_reply = self.conversation.withdraw_reply
        self.attach_message = self.conversation.attach_message
        self.record_message = self.conversation.record_message
        self.mark_mirrored = self.conversation.mark_mirrored
        self.record_edit = self.conversation.record_edit
        self.add_system_note = self.conversation.add_system_note

        self.resolve = self.lifecycle.resolve
        self.close = self.lifecycle.close
        self.close_if_due = self.lifecycle.close_if_due
        self.close_thread_gone = self.lifecycle.close_thread_gone
        self.check_reopen = self.lifecycle.check_reopen
        self.reopen = self.lifecycle.reopen

        self.claim = self.triage.claim
        self.set_priority = self.triage.set_priority
        self.set_department = self.triage.set_department

        self.record_ai_reply = self.hand_offs.record_ai_reply
        self.hand_off = self.hand_offs.hand_off
        self.hand_off_to_staff = self.hand_offs.hand_off_to_staff
