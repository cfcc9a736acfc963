"""The SQLite backend: core's ports over one database file (see store.py)."""
