"""Schema migrations: apply Alembic revisions, write new ones, and compare schema to the tables.

The revisions live in `o365portal/db/migrations/versions/`; the configuration is built here
in code (there is no alembic.ini), so `upgrade()` works the same from `make`, the app's deploy
step and tests. The CLI front-end is `python -m o365portal.db`.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlmodel import SQLModel

from o365portal.config import get_settings
from o365portal.db.engine import create_migration_engine, normalize_database_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every option Alembic needs besides the URL, which travels in `Config.attributes` (a URL
# with a "%" in its password would break the ini-style main options).
_ALEMBIC_OPTIONS = {
    "script_location": str(MIGRATIONS_DIR),
    "file_template": "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s",
    "truncate_slug_length": "40",
}


@contextmanager
def unreflectable_index_warnings_silenced() -> Iterator[None]:
    """Silence the warnings SQLite reflection gives for expression indexes such as lower(email).

    SQLite cannot reflect them, so Alembic skips them when comparing; that is expected (they
    are compared on PostgreSQL) and must not fail a run where warnings are errors.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index")
        yield


def target_metadata() -> MetaData:
    """Return the metadata holding every portal table (importing them all first)."""
    import o365portal.db.tables  # noqa: F401  (registers the tables)

    return SQLModel.metadata


def alembic_config(database_url: str | None = None) -> Config:
    """Return an Alembic configuration for `database_url` (default: settings)."""
    config = _options_only_config()
    config.attributes["database_url"] = normalize_database_url(
        database_url or get_settings().database_url
    )
    return config


def _options_only_config() -> Config:
    config = Config()
    for key, value in _ALEMBIC_OPTIONS.items():
        config.set_main_option(key, value)
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    """Migrate the database up to `revision` (default: the newest)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None, revision: str) -> None:
    """Migrate the database down to `revision` (`base` removes every table)."""
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    """Return the newest revision id in the migrations folder."""
    return ScriptDirectory.from_config(_options_only_config()).get_current_head()


def current_revision(database_url: str | None = None) -> str | None:
    """Return the revision the database is at (None for an unmigrated database)."""
    engine = create_migration_engine(database_url or get_settings().database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def schema_differences(database_url: str | None = None) -> list[Any]:
    """Return Alembic's differences between the database and the tables (empty = in sync)."""
    engine = create_migration_engine(database_url or get_settings().database_url)
    try:
        with engine.connect() as connection, unreflectable_index_warnings_silenced():
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, target_metadata()))
    finally:
        engine.dispose()


def new_revision(message: str) -> Path | None:
    """Autogenerate a revision from the tables' changes since head; None if nothing changed.

    It compares against a throw-away SQLite database migrated to head. Review the file by
    hand before committing: it must also be right for PostgreSQL.
    """
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'autogenerate.db'}"
        upgrade(database_url)
        script = command.revision(alembic_config(database_url), message=message, autogenerate=True)
    if script is None or isinstance(script, list):
        return None
    return Path(script.path)
