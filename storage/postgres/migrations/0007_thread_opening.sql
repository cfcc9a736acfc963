-- Issue 13 (as SQLite's 0007): a ticket is opened, then its Discord thread is attached. A
-- ticket without a thread (and not closed) is waiting for one: the process that holds
-- its guild creates the thread, or tries again later. It is never deleted for its age.

-- Attempts made so far; when the next may start (a lease while one runs, then the pause
-- before a retry); why the last one failed. NULL error once the thread is attached.
ALTER TABLE tickets ADD COLUMN thread_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN thread_retry_at timestamptz;
ALTER TABLE tickets ADD COLUMN thread_error text;

-- Tickets left without a thread before this migration (a crash mid-create) are due now.
UPDATE tickets SET thread_retry_at = created_at WHERE thread_id IS NULL AND status <> 'closed';

-- The few tickets waiting for a thread, by when they are due: found without a scan.
CREATE INDEX tickets_waiting_for_thread ON tickets (thread_retry_at)
    WHERE thread_id IS NULL AND status <> 'closed';
