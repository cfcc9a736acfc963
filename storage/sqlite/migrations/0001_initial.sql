-- Guild configuration: where tickets go, who is staff, limits. One row per server.
CREATE TABLE guild_settings (
    guild_id              INTEGER PRIMARY KEY,
    ticket_channel_id     INTEGER,
    staff_role_id         INTEGER,
    log_channel_id        INTEGER,
    review_channel_id     INTEGER,
    max_open_tickets      INTEGER NOT NULL DEFAULT 3,
    cooldown_seconds      INTEGER NOT NULL DEFAULT 30,
    reminder_hours        INTEGER NOT NULL DEFAULT 48,
    autoclose_hours       INTEGER NOT NULL DEFAULT 24,
    ai_knowledge          TEXT,
    updated_at            TEXT NOT NULL
);

CREATE TABLE department_roles (
    guild_id    INTEGER NOT NULL,
    department  TEXT NOT NULL,
    role_id     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, department)
);

CREATE TABLE feature_flags (
    guild_id  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (name IN ('ticketing', 'applications', 'ai')),
    enabled   INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (guild_id, name)
);

CREATE TABLE tickets (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id               INTEGER NOT NULL,
    owner_id               INTEGER NOT NULL,
    subject                TEXT NOT NULL,
    message                TEXT NOT NULL,
    status                 TEXT NOT NULL DEFAULT 'open'
                           CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
    priority               TEXT NOT NULL DEFAULT 'medium'
                           CHECK (priority IN ('urgent', 'high', 'medium', 'low')),
    department             TEXT NOT NULL DEFAULT 'Technical Support'
                           CHECK (department IN ('Technical Support', 'Billing', 'Sales', 'Security')),
    thread_id              INTEGER UNIQUE,
    claimed_by             INTEGER,
    ai_active              INTEGER NOT NULL DEFAULT 0,
    ai_replies             INTEGER NOT NULL DEFAULT 0,
    first_response_seconds REAL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    status_changed_at      TEXT NOT NULL,
    reminded_at            TEXT,
    closed_at              TEXT,
    closed_by              INTEGER,
    close_reason           TEXT
);
-- A member's tickets, newest first.
CREATE INDEX tickets_by_owner ON tickets (guild_id, owner_id, id DESC);
-- Staff lists filtered by status (and department / priority), newest first.
CREATE INDEX tickets_by_status ON tickets (guild_id, status, department, priority, id DESC);
CREATE INDEX tickets_by_guild ON tickets (guild_id, id DESC);
-- Median first-response time per guild without scanning its tickets.
CREATE INDEX tickets_first_response ON tickets (guild_id, first_response_seconds)
    WHERE first_response_seconds IS NOT NULL;
-- Inactivity sweep: pending tickets by age.
CREATE INDEX tickets_pending_age ON tickets (status, status_changed_at) WHERE status = 'pending';

CREATE TABLE replies (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL,
    author_kind  TEXT NOT NULL CHECK (author_kind IN ('member', 'staff', 'ai', 'system')),
    body         TEXT NOT NULL,
    attachments  TEXT NOT NULL DEFAULT '[]',
    message_id   INTEGER UNIQUE,
    created_at   TEXT NOT NULL,
    edited_at    TEXT
);
CREATE INDEX replies_by_ticket ON replies (ticket_id, id);

-- Counters kept by triggers so /ticket stats is one indexed read at any size.
CREATE TABLE ticket_counts (
    guild_id    INTEGER NOT NULL,
    status      TEXT NOT NULL,
    department  TEXT NOT NULL,
    priority    TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (guild_id, status, department, priority)
) WITHOUT ROWID;

CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_counts (guild_id, status, department, priority, n)
    VALUES (NEW.guild_id, NEW.status, NEW.department, NEW.priority, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets BEGIN
    UPDATE ticket_counts SET n = n - 1
    WHERE guild_id = OLD.guild_id AND status = OLD.status
      AND department = OLD.department AND priority = OLD.priority;
END;

CREATE TRIGGER ticket_counts_update AFTER UPDATE OF status, department, priority ON tickets
WHEN OLD.status IS NOT NEW.status OR OLD.department IS NOT NEW.department
     OR OLD.priority IS NOT NEW.priority
BEGIN
    UPDATE ticket_counts SET n = n - 1
    WHERE guild_id = OLD.guild_id AND status = OLD.status
      AND department = OLD.department AND priority = OLD.priority;
    INSERT INTO ticket_counts (guild_id, status, department, priority, n)
    VALUES (NEW.guild_id, NEW.status, NEW.department, NEW.priority, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TABLE forms (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id                  INTEGER NOT NULL,
    title                     TEXT NOT NULL,
    description               TEXT NOT NULL DEFAULT '',
    active                    INTEGER NOT NULL DEFAULT 1,
    max_submissions_per_user  INTEGER NOT NULL DEFAULT 5,
    review_channel_id         INTEGER,
    accept_role_id            INTEGER,
    required_role_id          INTEGER,
    questions                 TEXT NOT NULL,  -- JSON list, validated by core before storage
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
);
CREATE INDEX forms_by_guild ON forms (guild_id, id);

CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id      INTEGER NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    answers      TEXT NOT NULL,  -- JSON object: question id -> value
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'accepted', 'rejected')),
    reviewer_id  INTEGER,
    review_note  TEXT,
    created_at   TEXT NOT NULL,
    reviewed_at  TEXT
);
CREATE INDEX submissions_by_user ON submissions (form_id, user_id);
CREATE INDEX submissions_by_form ON submissions (form_id, status, id DESC);
