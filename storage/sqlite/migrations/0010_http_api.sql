-- Issue 16: the HTTP API and outgoing webhooks (SPEC §8).

-- Server keys: only the SHA-256 of a key is stored; `prefix` is its public part, by which
-- a presented key is found before its hash is compared (in constant time).
CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    prefix      TEXT NOT NULL UNIQUE,
    key_hash    TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
-- One live key per name in a server (a revoked name may be used again).
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (guild_id, name) WHERE revoked_at IS NULL;

-- Requests per credential in fixed windows, shared by every process using this database.
CREATE TABLE rate_limits (
    bucket        TEXT NOT NULL,
    window_start  INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;

-- Discord work queued by a front end that has no Discord (the HTTP API): a reply to post in
-- its thread, a submission to post for review. Written in the unit of work that stored the
-- reply or submission; the process holding the guild does it and deletes the row.
CREATE TABLE discord_jobs (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    last_error  TEXT
);
CREATE INDEX discord_jobs_due ON discord_jobs (guild_id, due_at);

-- Outgoing webhooks. The secret signs each body (HMAC-SHA256), so it is kept as is.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    events      TEXT NOT NULL,  -- JSON list of event names
    secret      TEXT NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 0,  -- failed attempts in a row
    reported    INTEGER NOT NULL DEFAULT 0   -- the log channel was told it keeps failing
);
CREATE INDEX webhooks_guild ON webhooks (guild_id);

-- The outbox of webhook events, written in the unit of work that made the event. One key
-- (a ticket, a submission) is delivered in order: only its oldest pending row is tried.
CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    webhook_id  INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    event       TEXT NOT NULL,
    body        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',  -- pending | failed (delivered rows go)
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    last_error  TEXT
);
CREATE INDEX webhook_deliveries_key ON webhook_deliveries (webhook_id, key, id)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (guild_id, due_at)
    WHERE state = 'pending';
