-- Issue 14 (staff tools, part b): people added to tickets, close requests, support hours.

-- Members (and roles) staff added to a ticket, and who added them when. A member listed
-- here reads and replies like the owner (core/participants.py).
CREATE TABLE ticket_participants (
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    guild_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('member', 'role')),
    target_id  INTEGER NOT NULL,  -- a user id, or a role id
    added_by   INTEGER NOT NULL,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (ticket_id, kind, target_id)
) WITHOUT ROWID;
-- A member's ticket list: the tickets they were added to.
CREATE INDEX ticket_participants_by_member ON ticket_participants (guild_id, target_id, ticket_id)
    WHERE kind = 'member';

-- An open close request per ticket; its id is in the buttons' custom_ids, and `due_at`
-- is when the upkeep sweep closes the ticket if nobody answered.
CREATE TABLE close_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id     INTEGER NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL,
    requested_by  INTEGER NOT NULL,
    reason        TEXT,
    hours         INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    message_id    INTEGER
);
CREATE INDEX close_requests_due ON close_requests (due_at);

-- A guild's support hours: one IANA time zone and its ranges, as JSON
-- [[days bit set (bit 0 = Monday), start minute, end minute], ...] (core/support_hours.py).
CREATE TABLE support_hours (
    guild_id    INTEGER PRIMARY KEY,
    timezone    TEXT,
    ranges      TEXT NOT NULL DEFAULT '[]',
    updated_at  TEXT NOT NULL
);

-- Whether the ticket was opened outside its guild's support hours, set when it is created;
-- the partial index makes counting them for /ticket stats a short index read.
ALTER TABLE tickets ADD COLUMN opened_outside_hours INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_opened_outside_hours ON tickets (guild_id) WHERE opened_outside_hours = 1;
