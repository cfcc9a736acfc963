-- AI answers per guild per UTC day, so one busy server can't run up an unbounded bill.
-- The per-ticket count lives on tickets.ai_replies.
CREATE TABLE ai_daily_usage (
    guild_id  INTEGER NOT NULL,
    day       TEXT NOT NULL,  -- YYYY-MM-DD in UTC
    answers   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, day)
) WITHOUT ROWID;
