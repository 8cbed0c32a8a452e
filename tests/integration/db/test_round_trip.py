"""Money stays exact and instants stay aware UTC through a write and a fresh read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import StatementError
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.enums import PriceListKind
from o365portal.db.tables import PriceList, PriceListEntry

from .rows import NOW, unique

UTC_PLUS_2 = timezone(timedelta(hours=2))


def _price_list_with_prices(database_url: str, *prices: Decimal) -> int:
    with session_scope(database_url) as session:
        # a customer list: the one global list belongs to the pricing services sharing this database
        price_list = PriceList(
            name=unique("Round trip "), kind=PriceListKind.CUSTOMER, currency="EUR"
        )
        session.add(price_list)
        session.flush()
        for offset, price in enumerate(prices):
            session.add(_entry(price_list.id, price, NOW + timedelta(days=offset)))
        return price_list.id


def _entry(price_list_id: int | None, price: object, effective_from: datetime) -> PriceListEntry:
    return PriceListEntry(
        price_list_id=price_list_id,
        product_id="CFQ7TTC0LH18",
        sku_id="0001",
        availability_id="CFQ7TTC0K971",
        term="P1Y",
        billing_cycle="monthly",
        sales_price=price,
        currency="EUR",
        effective_from=effective_from,
    )


def _stored_prices(database_url: str, price_list_id: int) -> list[Decimal]:
    with session_scope(database_url) as session:
        query = select(PriceListEntry).where(PriceListEntry.price_list_id == price_list_id)
        return [entry.sales_price for entry in session.exec(query.order_by(PriceListEntry.id))]


@pytest.mark.parametrize("price", ["10.0800", "0.0001", "99999999999999.9999", "-94.2000"])
def test_money_comes_back_with_its_exact_value(database_url: str, price: str) -> None:
    price_list_id = _price_list_with_prices(database_url, Decimal(price))

    [stored] = _stored_prices(database_url, price_list_id)

    assert isinstance(stored, Decimal)
    assert str(stored) == price


def test_money_adds_up_exactly_in_sql(database_url: str) -> None:
    price_list_id = _price_list_with_prices(database_url, *[Decimal("0.1")] * 3)

    with session_scope(database_url) as session:
        total = session.exec(
            select(func.sum(PriceListEntry.sales_price)).where(
                PriceListEntry.price_list_id == price_list_id
            )
        ).one()

    assert total == Decimal("0.3")


@pytest.mark.parametrize(
    ("price", "complaint"),
    [
        (10.08, "not float"),
        (Decimal("10.08001"), "more than 4 decimal places"),
        (Decimal("100000000000000"), "out of range"),
        (Decimal("NaN"), "out of range"),
    ],
)
def test_money_refuses_floats_silent_rounding_and_overflow(
    database_url: str, price: object, complaint: str
) -> None:
    price_list_id = _price_list_with_prices(database_url)

    with pytest.raises(StatementError, match=complaint), session_scope(database_url) as session:
        session.add(_entry(price_list_id, price, NOW))


def test_an_aware_datetime_comes_back_as_the_same_instant_in_utc(database_url: str) -> None:
    local_noon = datetime(2026, 7, 15, 12, 0, 0, 123456, tzinfo=UTC_PLUS_2)
    price_list_id = _price_list_with_prices(database_url)
    with session_scope(database_url) as session:
        session.add(_entry(price_list_id, Decimal("1"), local_noon))

    with session_scope(database_url) as session:
        if session.get_bind().dialect.name == "postgresql":
            # PostgreSQL hands timestamptz back in the connection's zone: make it not UTC.
            session.exec(text("SET LOCAL TIME ZONE 'America/New_York'"))
        query = select(PriceListEntry).where(PriceListEntry.price_list_id == price_list_id)
        stored = session.exec(query).one().effective_from

    assert stored == local_noon
    assert stored.tzinfo is UTC
    assert stored.hour == 10
    assert stored.microsecond == 123456


def test_a_naive_datetime_is_refused(database_url: str) -> None:
    price_list_id = _price_list_with_prices(database_url)

    with pytest.raises(StatementError, match="naive datetime"), session_scope(database_url) as s:
        s.add(_entry(price_list_id, Decimal("1"), datetime(2026, 7, 15, 12, 0)))
