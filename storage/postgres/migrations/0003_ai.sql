-- AI answers per guild per UTC day, so one busy server can't run up an unbounded bill.
-- The per-ticket count lives on tickets.ai_replies. The cap is kept by one
-- INSERT ... ON CONFLICT DO UPDATE ... WHERE answers < cap (storage/postgres/ai.py).
CREATE TABLE ai_daily_usage (
    guild_id  bigint NOT NULL,
    day       date NOT NULL,  -- in UTC
    answers   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, day)
);
