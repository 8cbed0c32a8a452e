"""Alembic environment for the portal's schema (run by `o365portal.db.migrate`).

The database URL comes from `config.attributes["database_url"]` (set by `alembic_config()`),
falling back to `DATABASE_URL`. Batch mode is on so SQLite can alter tables, types are
compared, and an autogenerate run that finds no change writes no file.
"""

from typing import Any

from alembic import context

from o365portal.config import get_settings
from o365portal.db.engine import create_migration_engine
from o365portal.db.migrate import target_metadata, unreflectable_index_warnings_silenced


def _skip_empty_revision(_context: Any, _revision: Any, directives: list[Any]) -> None:
    if directives and directives[0].upgrade_ops.is_empty():
        directives.clear()


def run_migrations() -> None:
    """Run the requested migrations over one connection and one transaction."""
    if context.is_offline_mode():
        raise RuntimeError("offline (--sql) migrations are not supported; run them online")
    config = context.config
    database_url = config.attributes.get("database_url") or get_settings().database_url
    engine = create_migration_engine(database_url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata(),
                render_as_batch=True,
                compare_type=True,
                process_revision_directives=_skip_empty_revision,
            )
            with context.begin_transaction(), unreflectable_index_warnings_silenced():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations()
