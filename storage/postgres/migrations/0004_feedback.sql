-- A member's rating of how their ticket went, offered when it closes.
CREATE TABLE feedback (
    ticket_id   bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    guild_id    bigint NOT NULL,
    user_id     bigint NOT NULL,
    rating      integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     text,
    created_at  timestamptz NOT NULL
);
CREATE INDEX feedback_by_guild ON feedback (guild_id);
