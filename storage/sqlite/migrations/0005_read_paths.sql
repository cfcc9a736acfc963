-- Read paths that stay fast at a million tickets (issue 9, measured by `python -m bench`).

-- Staff lists filtered by status and department, newest first, straight from the index:
-- with priority between department and id (tickets_by_status) every match had to be sorted.
CREATE INDEX tickets_by_status_department ON tickets (guild_id, status, department, id DESC);

-- Tickets with a first response per guild, kept by triggers like ticket_counts, so the
-- median is one OFFSET into tickets_first_response without counting the index first.
CREATE TABLE response_counts (
    guild_id  INTEGER PRIMARY KEY,
    n         INTEGER NOT NULL
);

INSERT INTO response_counts (guild_id, n)
SELECT guild_id, COUNT(*) FROM tickets WHERE first_response_seconds IS NOT NULL
GROUP BY guild_id;

CREATE TRIGGER response_counts_insert AFTER INSERT ON tickets
WHEN NEW.first_response_seconds IS NOT NULL
BEGIN
    INSERT INTO response_counts (guild_id, n) VALUES (NEW.guild_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER response_counts_delete AFTER DELETE ON tickets
WHEN OLD.first_response_seconds IS NOT NULL
BEGIN
    UPDATE response_counts SET n = n - 1 WHERE guild_id = OLD.guild_id;
END;

CREATE TRIGGER response_counts_update AFTER UPDATE OF first_response_seconds ON tickets
WHEN (OLD.first_response_seconds IS NULL) != (NEW.first_response_seconds IS NULL)
BEGIN
    INSERT INTO response_counts (guild_id, n)
    VALUES (NEW.guild_id, CASE WHEN NEW.first_response_seconds IS NULL THEN -1 ELSE 1 END)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- Ratings per guild (how many, their sum) for /ticket stats, kept by triggers on feedback;
-- deleting a ticket cascades to its feedback, and cascaded deletes fire triggers too.
CREATE TABLE rating_counts (
    guild_id  INTEGER PRIMARY KEY,
    n         INTEGER NOT NULL,
    total     INTEGER NOT NULL
);

INSERT INTO rating_counts (guild_id, n, total)
SELECT guild_id, COUNT(*), SUM(rating) FROM feedback GROUP BY guild_id;

CREATE TRIGGER rating_counts_insert AFTER INSERT ON feedback
BEGIN
    INSERT INTO rating_counts (guild_id, n, total) VALUES (NEW.guild_id, 1, NEW.rating)
    ON CONFLICT DO UPDATE SET n = n + 1, total = total + excluded.total;
END;

CREATE TRIGGER rating_counts_delete AFTER DELETE ON feedback
BEGIN
    UPDATE rating_counts SET n = n - 1, total = total - OLD.rating
    WHERE guild_id = OLD.guild_id;
END;

CREATE TRIGGER rating_counts_update AFTER UPDATE OF rating ON feedback
BEGIN
    UPDATE rating_counts SET total = total + NEW.rating - OLD.rating
    WHERE guild_id = NEW.guild_id;
END;
