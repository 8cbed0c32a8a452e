"""Throw-away PostgreSQL databases for the tests and the benchmarks (no pytest needed).

The server is TEST_POSTGRES_URL (default: the local server, trust auth, user postgres); each
database gets a unique name and is dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from o365portal.db.engine import dispose_engine, normalize_database_url


def postgres_admin_engine(server_url: str) -> Engine:
    """An autocommit engine on the server, for creating and dropping databases."""
    url = normalize_database_url(server_url)
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server, dropped afterwards."""
    name = f"o365portal_test_{uuid4().hex[:12]}"
    admin = postgres_admin_engine(server_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(normalize_database_url(server_url)).set(database=name)
    database_url = url.render_as_string(hide_password=False)
    try:
        yield database_url
    finally:
        dispose_engine(database_url)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
