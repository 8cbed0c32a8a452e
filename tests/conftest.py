"""Fixtures shared by the whole test suite."""

from __future__ import annotations

# --- Database fixtures (SQLite and PostgreSQL) ------------------------------------------------
# `database_url`: a database migrated to head, one per backend for the session.
# `empty_database_url`: a brand-new empty database per test, on each backend.
# PostgreSQL tests use TEST_POSTGRES_URL (default: local server, trust auth, user postgres), each
# in a uniquely named database dropped afterwards. If the server is unreachable they skip, except
# under CI=true, where they fail: CI must test PostgreSQL (.ci/run starts it).
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from o365portal.db.engine import dispose_engine
from o365portal.db.migrate import upgrade
from tests.databases import fresh_postgres_database, postgres_admin_engine

_LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """URL of a reachable PostgreSQL server; skips without one (fails under CI=true)."""
    server_url = os.environ.get("TEST_POSTGRES_URL", _LOCAL_POSTGRES_URL)
    engine = postgres_admin_engine(server_url)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        where = make_url(server_url).render_as_string(hide_password=True)
        reason = (
            f"PostgreSQL not reachable at {where} ({error.orig}); see scripts/ensure_postgres.sh"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        engine.dispose()
    return server_url


@contextmanager
def _fresh_database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if request.param == "postgres":
        with fresh_postgres_database(request.getfixturevalue("postgres_server_url")) as url:
            yield url
        return
    url = f"sqlite:///{folder / 'portal.db'}"
    try:
        yield url
    finally:
        dispose_engine(url)


@pytest.fixture(params=DATABASE_BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new, empty database on each backend, for this test only."""
    with _fresh_database(request, tmp_path) as url:
        yield url


@pytest.fixture(scope="session", params=DATABASE_BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database migrated to head on each backend, shared by the session's tests.

    Tests share it, so they create rows with unique values (never assume an empty table).
    """
    with _fresh_database(request, tmp_path_factory.mktemp("database")) as url:
        upgrade(url)
        yield url


# --- End of database fixtures -----------------------------------------------------------------
