-- Where a submission was posted for review, so the Accept / Reject message can be
-- edited after a restart, when it is reviewed.
ALTER TABLE submissions ADD COLUMN review_channel_id bigint;
ALTER TABLE submissions ADD COLUMN review_message_id bigint;

-- /forms list counts a member's submissions over every form of the guild in one read.
CREATE INDEX submissions_by_guild_user ON submissions (guild_id, user_id, form_id);
