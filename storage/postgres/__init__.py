"""The PostgreSQL backend: core's ports over asyncpg and a connection pool (see store.py)."""
