-- Issue 18 (as SQLite's 0012): the desk speaks the member's and the
-- server's language.

-- The server's language chosen with /admin language (a Discord locale code such as 'fr');
-- NULL: follow the server's own preferred locale on Discord.
ALTER TABLE guild_settings ADD COLUMN language text;

-- The language of the member who opened the ticket or last wrote through a command
-- (a Discord locale code); the AI answers in it. NULL when not known.
ALTER TABLE tickets ADD COLUMN language text;
