-- The dashboard (as SQLite's 0011). Its first-response chart: a guild's answered tickets
-- by opening time.
CREATE INDEX tickets_answered_by_created ON tickets (guild_id, created_at)
    WHERE first_response_seconds IS NOT NULL;
-- The dashboard's review queue and a member's own submissions: across a guild's forms.
CREATE INDEX submissions_by_guild_status ON submissions (guild_id, status, id DESC);
CREATE INDEX submissions_by_guild_member ON submissions (guild_id, user_id, id DESC);
