"""The process around the bot: connecting to Discord, start-up failures told in one line
with an exit code, `python bot.py --check`, and the test seams for Discord's addresses.

Not a feature: bot.py uses it before any cog exists, and `--check` runs without the bot.
"""
