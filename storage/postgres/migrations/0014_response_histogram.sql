-- The median first response at any guild size (as SQLite's 0013 does for it): it was one
-- OFFSET of half the guild's answered tickets into tickets_first_response, 6-14 ms in a
-- 200,000-ticket guild. Per-guild counters by bucket, kept by a trigger, find the bucket
-- holding the middle; one OFFSET within that bucket finds the values.

-- Fixed bucket edges: one below anything, 0, then 10 ms growing by 5% a step up to ~30
-- years (~530 edges). A time's bucket is the greatest edge <= it. Stored, not computed,
-- so the trigger and the read agree exactly.
CREATE TABLE response_bucket_edges (
    lo  double precision PRIMARY KEY
);

INSERT INTO response_bucket_edges (lo)
WITH RECURSIVE edge(lo) AS (
    SELECT 0.01::double precision UNION ALL SELECT lo * 1.05 FROM edge WHERE lo < 1.0e9
)
SELECT -1.0e300 UNION ALL SELECT 0.0 UNION ALL SELECT lo FROM edge;

CREATE TABLE response_histogram (
    guild_id  bigint NOT NULL,
    lo        double precision NOT NULL,
    n         integer NOT NULL,
    PRIMARY KEY (guild_id, lo)
);

CREATE FUNCTION response_bucket(seconds double precision) RETURNS double precision
LANGUAGE sql STABLE AS $$
    SELECT lo FROM response_bucket_edges WHERE lo <= seconds ORDER BY lo DESC LIMIT 1
$$;

INSERT INTO response_histogram (guild_id, lo, n)
SELECT guild_id, response_bucket(first_response_seconds), COUNT(*)
FROM tickets WHERE first_response_seconds IS NOT NULL
GROUP BY 1, 2;

-- Counters change by single upserts (ON CONFLICT takes the row lock), so racing units
-- in several processes add up exactly, as with response_counts (0005).
CREATE FUNCTION response_histogram_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.first_response_seconds IS NOT DISTINCT FROM NEW.first_response_seconds THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.first_response_seconds IS NOT NULL THEN
        UPDATE response_histogram SET n = n - 1
        WHERE guild_id = OLD.guild_id AND lo = response_bucket(OLD.first_response_seconds);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.first_response_seconds IS NOT NULL THEN
        INSERT INTO response_histogram (guild_id, lo, n)
        VALUES (NEW.guild_id, response_bucket(NEW.first_response_seconds), 1)
        ON CONFLICT (guild_id, lo) DO UPDATE SET n = response_histogram.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER response_histogram_follow
AFTER INSERT OR DELETE OR UPDATE OF first_response_seconds ON tickets
FOR EACH ROW EXECUTE FUNCTION response_histogram_follow();
