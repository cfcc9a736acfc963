-- Issue 12: nothing typed in a ticket thread is lost, and every close is finished on Discord.

-- Every message in the ticket's thread with an id up to this one has been handled (stored,
-- or the bot's own). Catch-up after a new gateway session reads the thread's history after
-- it. NULL for tickets from before this migration: catch-up then starts after the newest
-- stored message, as it used to.
ALTER TABLE tickets ADD COLUMN mirrored_to INTEGER;

-- The Discord side of a close still to do, written in the transaction that closes the
-- ticket, so no failure or crash leaves a ticket closed but never archived, logged or DMed.
-- `done` is the bit set of parts finished (core.closing.ClosePart); `due_at` is when the
-- next attempt may start, a lease while one runs. The row goes once every part is done,
-- or when the ticket is reopened.
CREATE TABLE close_work (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    done        INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    due_at      TEXT NOT NULL,
    last_error  TEXT
);
CREATE INDEX close_work_due ON close_work (due_at);
