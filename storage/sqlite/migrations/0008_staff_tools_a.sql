-- Issue 14, staff tools: tags (canned replies), staff notes and blocks.

-- A server's canned replies. `name_key` is the name casefolded by core
-- (core.staff_models.tag_key): names are unique per server whatever their case.
CREATE TABLE tags (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    content     TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (guild_id, name_key)
);

-- Notes staff keep on a ticket: never replies, so nothing that shows a conversation to a
-- member (or sends it to the AI) can reach them.
CREATE TABLE staff_notes (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX staff_notes_by_ticket ON staff_notes (ticket_id, id);

-- Members (kind 'member') and roles (kind 'role') that may not open tickets or submit forms.
CREATE TABLE blocks (
    guild_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('member', 'role')),
    target_id   INTEGER NOT NULL,
    reason      TEXT,
    blocked_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, kind, target_id)
) WITHOUT ROWID;
