-- Issue 19 (as SQLite's 0013, which adds counters for its read path of /ticket stats):
-- nothing to change here; the PostgreSQL store keeps its own read paths. The file keeps
-- the two lists of migrations mirrored.
SELECT 1;
