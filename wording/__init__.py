"""The words every front end shows for core's messages and refusals: `catalogue.py`.

Front-end neutral: imports core only (never discord, cogs or storage), so the Discord
front end (`cogs/`) and the HTTP API (`api/`) say the same sentences, each in its own
variant (`say` / `error_text` for Discord, `say_plain` / `error_text(plain=True)` without
Discord syntax).
"""
