-- Issue 12: nothing typed in a ticket thread is lost, and every close is finished on Discord.

-- Every message in the ticket's thread with an id up to this one has been handled (stored,
-- or the bot's own). NULL for tickets from before this migration: catch-up then starts
-- after the newest stored message.
ALTER TABLE tickets ADD COLUMN mirrored_to bigint;

-- Catch-up walks the live tickets (unclosed, with a thread) by id: an index of just
-- those, so closed history is never read on the way.
CREATE INDEX tickets_live ON tickets (id) WHERE status <> 'closed' AND thread_id IS NOT NULL;

-- The Discord side of a close still to do, written in the transaction that closes the
-- ticket. `done` is the bit set of parts finished (core.closing.ClosePart); `due_at` is
-- when the next attempt may start, a lease while one runs (claimed with
-- FOR UPDATE SKIP LOCKED, so two processes never take the same row).
CREATE TABLE close_work (
    ticket_id   bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    done        integer NOT NULL DEFAULT 0,
    attempts    integer NOT NULL DEFAULT 0,
    due_at      timestamptz NOT NULL,
    last_error  text
);
CREATE INDEX close_work_due ON close_work (due_at);
