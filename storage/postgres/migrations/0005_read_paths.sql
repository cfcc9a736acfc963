-- Read paths that stay fast at a million tickets (issue 9): counting rows is no cheaper
-- on PostgreSQL than on SQLite, so the same counters are kept by triggers.

-- Staff lists filtered by status and department, newest first, straight from the index.
CREATE INDEX tickets_by_status_department ON tickets (guild_id, status, department, id DESC);

-- Tickets with a first response per guild, so the median is one OFFSET into
-- tickets_first_response without counting the index first.
CREATE TABLE response_counts (
    guild_id  bigint PRIMARY KEY,
    n         integer NOT NULL
);

INSERT INTO response_counts (guild_id, n)
SELECT guild_id, COUNT(*) FROM tickets WHERE first_response_seconds IS NOT NULL
GROUP BY guild_id;

CREATE FUNCTION response_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
    guild bigint;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.first_response_seconds IS NOT NULL THEN
        delta := delta + 1;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.first_response_seconds IS NOT NULL THEN
        delta := delta - 1;
    END IF;
    IF delta <> 0 THEN
        guild := CASE WHEN TG_OP = 'DELETE' THEN OLD.guild_id ELSE NEW.guild_id END;
        INSERT INTO response_counts (guild_id, n) VALUES (guild, delta)
        ON CONFLICT (guild_id) DO UPDATE SET n = response_counts.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER response_counts_follow
AFTER INSERT OR DELETE OR UPDATE OF first_response_seconds ON tickets
FOR EACH ROW EXECUTE FUNCTION response_counts_follow();

-- Ratings per guild (how many, their sum) for /ticket stats, kept by triggers on feedback;
-- deleting a ticket cascades to its feedback, and cascaded deletes fire triggers too.
CREATE TABLE rating_counts (
    guild_id  bigint PRIMARY KEY,
    n         integer NOT NULL,
    total     bigint NOT NULL
);

INSERT INTO rating_counts (guild_id, n, total)
SELECT guild_id, COUNT(*), SUM(rating) FROM feedback GROUP BY guild_id;

CREATE FUNCTION rating_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rating_counts (guild_id, n, total) VALUES (NEW.guild_id, 1, NEW.rating)
        ON CONFLICT (guild_id) DO UPDATE
        SET n = rating_counts.n + 1, total = rating_counts.total + excluded.total;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE rating_counts SET n = n - 1, total = total - OLD.rating
        WHERE guild_id = OLD.guild_id;
    ELSE
        UPDATE rating_counts SET total = total + NEW.rating - OLD.rating
        WHERE guild_id = NEW.guild_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER rating_counts_follow
AFTER INSERT OR DELETE OR UPDATE OF rating ON feedback
FOR EACH ROW EXECUTE FUNCTION rating_counts_follow();
