"""Engines are built once per URL with the right driver and SQLite settings; scopes commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from o365portal.db.engine import dispose_engine, get_engine, normalize_database_url, session_scope
from o365portal.db.tables import JobLease

from .rows import NOW, unique


@pytest.mark.parametrize(
    "url",
    [
        "postgres://portal:secret@db.example:5432/portal",
        "postgresql://portal:secret@db.example:5432/portal",
        "postgresql+psycopg://portal:secret@db.example:5432/portal",
    ],
)
def test_postgres_urls_are_normalised_to_psycopg_3(url: str) -> None:
    expected = "postgresql+psycopg://portal:secret@db.example:5432/portal"
    assert normalize_database_url(url) == expected


def test_other_postgres_drivers_are_refused() -> None:
    with pytest.raises(ValueError, match="psycopg 3"):
        normalize_database_url("postgresql+asyncpg://db.example/portal")


def test_an_engine_is_built_once_per_url(tmp_path: Path) -> None:
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    try:
        assert get_engine(first) is get_engine(first)
        assert get_engine(first) is not get_engine(second)
    finally:
        dispose_engine(first)
        dispose_engine(second)


def test_sqlite_creates_its_folder_enforces_foreign_keys_and_uses_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'portal.db'}"
    try:
        with get_engine(url).connect() as connection:
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
            journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        dispose_engine(url)

    assert (foreign_keys, journal_mode) == (1, "wal")


def _lease(name: str) -> JobLease:
    return JobLease(name=name, holder="w1", expires_at=NOW)


def _exists(database_url: str, name: str) -> bool:
    with session_scope(database_url) as session:
        query = select(JobLease).where(JobLease.name == name)
        return session.exec(query).one_or_none() is not None


def test_a_session_scope_commits_when_its_block_succeeds(database_url: str) -> None:
    name = unique("committed")
    with session_scope(database_url) as session:
        session.add(_lease(name))

    assert _exists(database_url, name)


def test_a_session_scope_rolls_back_when_its_block_raises(database_url: str) -> None:
    name = unique("rolled-back")
    with pytest.raises(RuntimeError), session_scope(database_url) as session:
        session.add(_lease(name))
        session.flush()
        raise RuntimeError("the use case failed")

    assert not _exists(database_url, name)
