"""Migrations build the whole schema from an empty database, on SQLite and PostgreSQL, and move
the data a schema change reshapes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlmodel import select

from o365portal.db.engine import get_engine, session_scope
from o365portal.db.migrate import (
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    target_metadata,
    upgrade,
)
from o365portal.db.tables import Subscription, SubscriptionPrice
from o365portal.db.types import Money

from .rows import NOW, add_tenant, new_subscription


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


BEFORE_PRICE_PERIODS = "cbb6f4316e1b"  # the revision before subscription_price
_OVERRIDES = sa.table(
    "subscription",
    sa.column("id", sa.Integer()),
    sa.column("price_override", Money()),
    sa.column("price_override_currency", sa.String(3)),
)


def _subscriptions_with_override(database_url: str, override: Decimal | None) -> int:
    """A subscription row at the older revision: only the columns that revision has (the model
    has grown since)."""
    with session_scope(database_url) as session:
        row = new_subscription(add_tenant(session))
        existing = {c["name"] for c in inspect(session.connection()).get_columns("subscription")}
        table = Subscription.__table__  # type: ignore[attr-defined]
        values = {
            column.name: getattr(row, column.name)
            for column in table.c
            if column.name in existing and column.name != "id"
        }
        # Only those columns: the model's Python-side defaults of newer ones stay out.
        older = sa.table("subscription", sa.column("id"), *map(sa.column, values))
        subscription_id = int(
            session.execute(sa.insert(older).values(**values).returning(older.c.id)).scalar_one()
        )
        session.exec(  # type: ignore[call-overload]
            sa.update(_OVERRIDES)
            .where(_OVERRIDES.c.id == subscription_id)
            .values(price_override=override, price_override_currency=override and "EUR")
        )
        return subscription_id


def _overrides(database_url: str, *ids: int) -> list[tuple[Decimal | None, str | None]]:
    with get_engine(database_url).connect() as connection:
        query = sa.select(_OVERRIDES.c.price_override, _OVERRIDES.c.price_override_currency)
        return [tuple(connection.execute(query.where(_OVERRIDES.c.id == i)).one()) for i in ids]


def _prices(database_url: str, subscription_id: int) -> list[SubscriptionPrice]:
    with session_scope(database_url) as session:
        query = select(SubscriptionPrice).where(
            SubscriptionPrice.subscription_id == subscription_id
        )
        return list(session.exec(query.order_by(SubscriptionPrice.effective_from)).all())


def test_an_override_becomes_a_price_from_the_subscriptions_start_and_back(
    empty_database_url: str,
) -> None:
    upgrade(empty_database_url, BEFORE_PRICE_PERIODS)
    overridden = _subscriptions_with_override(empty_database_url, Decimal("9.8765"))
    plain = _subscriptions_with_override(empty_database_url, None)

    upgrade(empty_database_url)

    [price] = _prices(empty_database_url, overridden)
    assert (price.effective_from, price.unit_price, price.currency) == (
        NOW.date(),  # the day the subscription started
        Decimal("9.8765"),
        "EUR",
    )
    assert price.reason and price.set_by_account_id is None
    assert _prices(empty_database_url, plain) == []
    assert "price_override" not in {
        column["name"]
        for column in inspect(get_engine(empty_database_url)).get_columns("subscription")
    }

    with session_scope(empty_database_url) as session:  # a later price, then back down
        session.add(
            SubscriptionPrice(
                subscription_id=overridden, effective_from=NOW.date() + timedelta(days=40),
                unit_price=Decimal("7.25"), currency="EUR", reason="Renegotiated",
            )
        )  # fmt: skip
    downgrade(empty_database_url, BEFORE_PRICE_PERIODS)

    assert _overrides(empty_database_url, overridden, plain) == [
        (Decimal("7.25"), "EUR"),  # the latest price
        (None, None),
    ]
