-- PostgreSQL's 0014 adds the first-response histogram SQLite got in 0013; nothing to
-- change here. The file keeps the two lists of migrations mirrored.
SELECT 1;
