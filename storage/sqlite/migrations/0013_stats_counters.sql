-- Guild stats in a bounded number of index steps at any guild size (issue 19): the median
-- first response was one OFFSET of half the guild's answered tickets into
-- tickets_first_response (100,000 index entries in a 200,000-ticket guild, ~5 ms), and
-- the opened-outside-hours count read every such index entry.

-- Fixed bucket edges for first-response times: one below anything, 0, then 10 ms growing
-- by 5% a step up to ~30 years (~530 edges). A time's bucket is the greatest edge <= it.
-- The edges are stored, not computed, so the triggers and the read agree exactly.
CREATE TABLE response_bucket_edges (
    lo  REAL PRIMARY KEY
) WITHOUT ROWID;

INSERT INTO response_bucket_edges (lo)
WITH RECURSIVE edge(lo) AS (
    SELECT 0.01 UNION ALL SELECT lo * 1.05 FROM edge WHERE lo < 1.0e9
)
SELECT -1.0e300 UNION ALL SELECT 0.0 UNION ALL SELECT lo FROM edge;

-- Answered tickets per guild and bucket, kept by triggers like response_counts: the
-- median is found by summing a few hundred counters to its bucket, then one OFFSET of at
-- most that bucket's size into tickets_first_response from the bucket's lower edge.
CREATE TABLE response_histogram (
    guild_id  INTEGER NOT NULL,
    lo        REAL NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (guild_id, lo)
) WITHOUT ROWID;

INSERT INTO response_histogram (guild_id, lo, n)
SELECT guild_id, bucket, COUNT(*) FROM (
    SELECT guild_id, (SELECT MAX(lo) FROM response_bucket_edges
                      WHERE lo <= first_response_seconds) AS bucket
    FROM tickets WHERE first_response_seconds IS NOT NULL
) GROUP BY guild_id, bucket;

CREATE TRIGGER response_histogram_insert AFTER INSERT ON tickets
WHEN NEW.first_response_seconds IS NOT NULL
BEGIN
    INSERT INTO response_histogram (guild_id, lo, n)
    VALUES (NEW.guild_id, (SELECT MAX(lo) FROM response_bucket_edges
                           WHERE lo <= NEW.first_response_seconds), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER response_histogram_delete AFTER DELETE ON tickets
WHEN OLD.first_response_seconds IS NOT NULL
BEGIN
    UPDATE response_histogram SET n = n - 1
    WHERE guild_id = OLD.guild_id AND lo = (SELECT MAX(lo) FROM response_bucket_edges
                                            WHERE lo <= OLD.first_response_seconds);
END;

CREATE TRIGGER response_histogram_update AFTER UPDATE OF first_response_seconds ON tickets
WHEN OLD.first_response_seconds IS NOT NEW.first_response_seconds
BEGIN
    UPDATE response_histogram SET n = n - 1
    WHERE OLD.first_response_seconds IS NOT NULL AND guild_id = OLD.guild_id
    AND lo = (SELECT MAX(lo) FROM response_bucket_edges WHERE lo <= OLD.first_response_seconds);
    INSERT INTO response_histogram (guild_id, lo, n)
    SELECT NEW.guild_id, (SELECT MAX(lo) FROM response_bucket_edges
                          WHERE lo <= NEW.first_response_seconds), 1
    WHERE NEW.first_response_seconds IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Tickets opened outside support hours per guild, for /ticket stats.
CREATE TABLE outside_hours_counts (
    guild_id  INTEGER PRIMARY KEY,
    n         INTEGER NOT NULL
);

INSERT INTO outside_hours_counts (guild_id, n)
SELECT guild_id, COUNT(*) FROM tickets WHERE opened_outside_hours = 1 GROUP BY guild_id;

CREATE TRIGGER outside_hours_counts_insert AFTER INSERT ON tickets
WHEN NEW.opened_outside_hours = 1
BEGIN
    INSERT INTO outside_hours_counts (guild_id, n) VALUES (NEW.guild_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER outside_hours_counts_delete AFTER DELETE ON tickets
WHEN OLD.opened_outside_hours = 1
BEGIN
    UPDATE outside_hours_counts SET n = n - 1 WHERE guild_id = OLD.guild_id;
END;

CREATE TRIGGER outside_hours_counts_update AFTER UPDATE OF opened_outside_hours ON tickets
WHEN (OLD.opened_outside_hours = 1) != (NEW.opened_outside_hours = 1)
BEGIN
    INSERT INTO outside_hours_counts (guild_id, n)
    VALUES (NEW.guild_id, CASE WHEN NEW.opened_outside_hours = 1 THEN 1 ELSE -1 END)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
