"""Migrations build the whole schema from an empty database, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect

from o365portal.db.engine import get_engine
from o365portal.db.migrate import (
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    target_metadata,
    upgrade,
)


def _table_names(database_url: str) -> set[str]:
    return set(inspect(get_engine(database_url)).get_table_names())


def test_upgrade_takes_an_empty_database_to_head_with_every_table(empty_database_url: str) -> None:
    assert current_revision(empty_database_url) is None

    upgrade(empty_database_url)

    assert current_revision(empty_database_url) == head_revision()
    expected = set(target_metadata().tables) | {"alembic_version"}
    assert _table_names(empty_database_url) == expected


def test_the_migrated_schema_matches_the_sqlmodel_tables(empty_database_url: str) -> None:
    upgrade(empty_database_url)

    assert schema_differences(empty_database_url) == []


def test_the_schema_comparison_notices_a_missing_index(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    with get_engine(empty_database_url).begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_seat_lot_subscription_id")

    differences = schema_differences(empty_database_url)

    assert [difference[0] for difference in differences] == ["add_index"]
    assert differences[0][1].name == "ix_seat_lot_subscription_id"


def test_downgrade_to_base_empties_the_database_and_upgrade_rebuilds_it(
    empty_database_url: str,
) -> None:
    upgrade(empty_database_url)

    downgrade(empty_database_url, "base")
    assert _table_names(empty_database_url) == {"alembic_version"}

    upgrade(empty_database_url)
    assert schema_differences(empty_database_url) == []
