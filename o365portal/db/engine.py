"""Engines and sessions: one cached engine per database URL, and a unit-of-work scope.

Nothing connects at import time. `get_engine()` builds the engine for a URL on first use
(by default `get_settings().database_url`):

- SQLite: usable from several threads (`check_same_thread=False`), foreign keys enforced
  and WAL journaling switched on for every connection, the file's folder created if missing.
- PostgreSQL: always through psycopg 3; `postgres://` and `postgresql://` URLs are accepted
  and rewritten to `postgresql+psycopg://`.
- A whole number past the column's integer type (an id typed into a URL) finds nothing instead
  of failing the query: SQLite refuses to bind one past 64 bits (OverflowError), so it is sent
  as a real; PostgreSQL casts every bound integer to the column's type ("integer out of
  range"), so such a number is cast to NUMERIC instead. Both then compare it exactly, and
  storing it still fails, as it should (input is validated before it is stored).

Use `session_scope()` for one unit of work: it commits when the block ends and rolls back
if it raises.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from o365portal.config import get_settings

_POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}


def normalize_database_url(database_url: str) -> str:
    """Return the URL with PostgreSQL schemes rewritten to `postgresql+psycopg`."""
    url = make_url(database_url)
    if url.drivername in _POSTGRES_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
    elif url.get_backend_name() in _POSTGRES_SCHEMES:
        raise ValueError(f"unsupported PostgreSQL driver {url.drivername!r}; use psycopg 3")
    return url.render_as_string(hide_password=False)


def get_engine(database_url: str | None = None) -> Engine:
    """Return the engine for `database_url` (default: settings), built once per URL."""
    url = normalize_database_url(database_url or get_settings().database_url)
    with _engines_lock:
        if url not in _engines:
            _engines[url] = _create_engine(make_url(url))
        return _engines[url]


def dispose_engine(database_url: str) -> None:
    """Forget the cached engine for `database_url` and close its pooled connections."""
    with _engines_lock:
        engine = _engines.pop(normalize_database_url(database_url), None)
    if engine is not None:
        engine.dispose()


def create_migration_engine(database_url: str) -> Engine:
    """Return a fresh, unpooled engine for running migrations (dispose it when done).

    Unlike `get_engine()` it leaves SQLite foreign keys off: batch migrations rebuild tables
    by copy-and-drop, and with foreign keys on, dropping a table would cascade to its children.
    """
    url = make_url(normalize_database_url(database_url))
    _ensure_sqlite_folder(url)
    return create_engine(url, poolclass=NullPool)


@contextmanager
def session_scope(database_url: str | None = None) -> Iterator[Session]:
    """Run one unit of work: commit on success, roll back on any exception.

    Objects stay readable after the commit (`expire_on_commit=False`), so callers can turn
    them into view models once the transaction is over.
    """
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = _create_sqlite_engine(url)
        event.listen(engine, "before_cursor_execute", _beyond_64_bits, retval=True)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _beyond_integer_casts, retval=True)
    return engine


def _ensure_sqlite_folder(url: URL) -> None:
    if url.get_backend_name() != "sqlite":
        return
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _create_sqlite_engine(url: URL) -> Engine:
    _ensure_sqlite_folder(url)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


_INT64 = range(-(2**63), 2**63)
_CASTS = {"INTEGER": range(-(2**31), 2**31), "BIGINT": _INT64, "SMALLINT": range(-(2**15), 2**15)}


def _beyond_integer_casts(
    _connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    """The statement with each integer past its cast's type cast to NUMERIC instead (see the
    module docstring)."""
    if not isinstance(parameters, dict):
        return statement, parameters
    for name, value in parameters.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        for cast, fits in _CASTS.items():
            marker = f"%({name})s::{cast}"
            if value not in fits and marker in statement:
                statement = statement.replace(marker, f"%({name})s::NUMERIC")
    return statement, parameters


def _fitted(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        return {key: _fitted(value) for key, value in parameters.items()}
    if isinstance(parameters, list | tuple):
        return type(parameters)(_fitted(value) for value in parameters)
    if isinstance(parameters, int) and not isinstance(parameters, bool):
        return parameters if parameters in _INT64 else float(parameters)
    return parameters


def _beyond_64_bits(
    _connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    """The statement with integers past 64 bits sent as reals (see the module docstring)."""
    return statement, _fitted(parameters)


def _configure_sqlite_connection(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()
