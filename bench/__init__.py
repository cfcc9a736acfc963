"""Benchmarks: the bot against plain SQLite and the fake Discord, on the same machine, same run.

Run `python -m bench` (full) or `python -m bench --quick` (the CI smoke run). Figures are
printed, never asserted: the machines are shared and noisy.
"""
