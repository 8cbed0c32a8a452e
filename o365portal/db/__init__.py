"""Persistence: SQLModel tables, engine and session setup, and Alembic migrations.

- `o365portal.db.tables`: every table (one module per concern), with `*Base`/`*View` models.
- `o365portal.db.engine`: `get_engine()`, `session_scope()` (a unit of work).
- `o365portal.db.migrate`: `upgrade()`, also as `python -m o365portal.db upgrade`.
- `o365portal.db.leases`: `try_acquire_lease()` so one worker runs a given job.

Importing this package connects to nothing; see docs/database.md.
"""
