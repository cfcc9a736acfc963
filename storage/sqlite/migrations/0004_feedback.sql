-- A member's rating of how their ticket went, offered when it closes.
CREATE TABLE feedback (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX feedback_by_guild ON feedback (guild_id);
