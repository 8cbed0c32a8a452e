"""Price resolution, margins and not-for-sale through `services.pricing.quote`, and the rule that a
new price never rewrites one already in force."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from o365portal.db.engine import session_scope
from o365portal.db.tables.pricing import PriceListEntry
from o365portal.db.tables.subscriptions import Subscription, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NotAllowed, NotForSale, NotFound
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._quote import BrokerPriceQuoteView, CatalogItemRef, PriceQuoteView
from tests.builders import Account, new_customer, new_organization, unique
from tests.services.pricing_support import (  # noqa: F401 - fixtures
    _broker,
    _pricing_database,
    add_cost,
    new_catalog_item,
)


def _quote(actor: Account, org_id: int, item: CatalogItemRef, **extra: object) -> PriceQuoteView:
    arguments = {"quantity": 3, "on": clock.today()} | extra
    return pricing.quote(actor=actor.principal, organization_id=org_id, item=item, **arguments)  # type: ignore[arg-type]


def _customer_list(broker: Account, org_id: int) -> int:
    summary = price_lists.create_price_list(
        actor=broker.principal, name=unique("Key accounts "), currency="USD"
    )
    price_lists.assign_price_list(
        actor=broker.principal, organization_id=org_id, list_id=summary.id
    )
    return summary.id


def _subscription(org_id: int, item: CatalogItemRef, override: str) -> int:
    now = datetime.now(UTC)
    with session_scope() as session:
        tenant = Tenant(
            organization_id=org_id, customer_id=unique("c-"), domain=unique("t") + ".example"
        )
        session.add(tenant)
        session.flush()
        row = Subscription(
            **item.__dict__, tenant_id=tenant.id or 0, pc_subscription_id=unique("s-"),
            friendly_name="Seats", quantity=3, status="active", started_at=now - timedelta(days=40),
            term_end_at=now + timedelta(days=300),
        )  # fmt: skip
        session.add(row)
        session.flush()
        session.add(
            SubscriptionPrice(
                subscription_id=row.id or 0, effective_from=row.started_at.date(),
                unit_price=Decimal(override), currency="USD", reason="Agreed at signing",
            )
        )  # fmt: skip
        return row.id or 0


def test_the_global_price_applies_and_the_total_is_rounded_once(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="10.005", effective=clock.today()
    )
    quote = _quote(broker, org.id, item)
    assert (quote.source, quote.unit_price, quote.currency) == ("global", Decimal("10.005"), "USD")
    assert quote.total == Decimal("30.01")  # 30.015 truncated once, as Microsoft rounds


def test_the_customer_list_wins_over_global_and_the_subscription_price_over_both(
    broker: Account,
) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    today = clock.today()
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="12", effective=today
    )
    list_id = _customer_list(broker, org.id)
    assert _quote(broker, org.id, item).source == "global"  # an empty customer list falls back
    price_lists.set_price(
        actor=broker.principal, list_id=list_id, item=item, price="11", effective=today
    )
    assert (_quote(broker, org.id, item).source, _quote(broker, org.id, item).unit_price) == (
        "customer",
        11,
    )
    subscription_id = _subscription(org.id, item, "9.50")
    quote = _quote(broker, org.id, item, subscription_id=subscription_id)
    assert (quote.source, quote.unit_price, quote.total) == (
        "subscription",
        Decimal("9.50"),
        Decimal("28.50"),
    )


def test_a_future_price_applies_from_its_day_and_the_old_one_until_then(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    today = clock.today()
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="20", effective=today
    )
    price_lists.set_price(
        actor=broker.principal,
        list_id=None,
        item=item,
        price="25",
        effective=today + timedelta(days=10),
    )
    assert _quote(broker, org.id, item).unit_price == 20
    assert _quote(broker, org.id, item, on=today + timedelta(days=9)).unit_price == 20
    later = _quote(broker, org.id, item, on=today + timedelta(days=10))
    assert (later.unit_price, later.since) == (25, today + timedelta(days=10))


def test_a_price_of_an_earlier_day_is_never_rewritten(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    today = clock.today()
    with session_scope() as session:  # a price in force since yesterday, entered then
        session.add(
            PriceListEntry(
                **item.__dict__, price_list_id=price_store.global_list(session).id or 0,
                sales_price=Decimal(30), currency="USD",
                effective_from=price_store.start_of(today - timedelta(days=1)),
            )
        )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        price_lists.set_price(
            actor=broker.principal, list_id=None, item=item, price="1",
            effective=today - timedelta(days=1),
        )  # fmt: skip
    assert "cannot start in the past" in refused.value.field_errors["effective_from"]
    assert _quote(broker, org.id, item).unit_price == 30
    future = today + timedelta(days=5)
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="31", effective=future
    )
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="32", effective=future
    )
    assert _quote(broker, org.id, item, on=future).unit_price == 32  # not yet in force: replaceable
    assert _quote(broker, org.id, item).unit_price == 30


def test_brokers_see_cost_and_margin(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    add_cost(item, "8.00", "2020-01-01")
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="10", effective=clock.today()
    )
    quote = _quote(broker, org.id, item)
    assert isinstance(quote, BrokerPriceQuoteView)
    assert (quote.unit_cost, quote.margin_percent) == (Decimal("8.00"), Decimal("20.00"))


def test_a_broker_quote_without_a_known_cost_has_no_margin(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="10", effective=clock.today()
    )
    quote = _quote(broker, org.id, item)
    assert isinstance(quote, BrokerPriceQuoteView)
    assert quote.unit_cost is None and quote.margin_percent is None


def test_a_customer_quote_carries_no_cost_or_margin_at_all(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    add_cost(item, "8.00", "2020-01-01")
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="10", effective=clock.today()
    )
    quote = _quote(new_customer(org.id), org.id, item)
    assert type(quote) is PriceQuoteView
    names = {field.name for field in fields(quote)}
    assert not names & {"unit_cost", "margin_percent"}
    assert "8.00" not in repr(quote)


def test_a_customer_cannot_quote_for_another_organization(broker: Account) -> None:
    item = new_catalog_item()
    own, other = new_organization(broker.principal), new_organization(broker.principal)
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="10", effective=clock.today()
    )
    with pytest.raises(NotFound):
        _quote(new_customer(own.id), other.id, item)


def test_without_a_price_the_item_is_not_for_sale(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    with pytest.raises(NotForSale) as answer:
        _quote(broker, org.id, item)
    assert item.product_id in answer.value.reason and "global list" in answer.value.reason
    _customer_list(broker, org.id)
    with pytest.raises(NotForSale, match="customer's list or the global list"):
        _quote(broker, org.id, item)


def test_a_price_starting_tomorrow_is_not_for_sale_today(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    tomorrow = clock.today() + timedelta(days=1)
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="10", effective=tomorrow
    )
    with pytest.raises(NotForSale):
        _quote(broker, org.id, item)
    assert _quote(broker, org.id, item, on=tomorrow).unit_price == 10


def test_bad_prices_and_quantities_are_refused_with_a_message(broker: Account) -> None:
    item = new_catalog_item()
    org = new_organization(broker.principal)
    for text in ("0", "-3", "abc", "1.23456"):
        with pytest.raises(InvalidInput) as refused:
            price_lists.set_price(
                actor=broker.principal, list_id=None, item=item, price=text, effective=clock.today()
            )
        assert refused.value.field_errors["price"]
    with pytest.raises(InvalidInput, match="highlighted"):
        _quote(broker, org.id, item, quantity=0)


def test_customers_cannot_use_price_lists(broker: Account) -> None:
    customer = new_customer(new_organization(broker.principal).id)
    with pytest.raises(NotAllowed):
        price_lists.list_price_lists(actor=customer.principal)
    with pytest.raises(NotAllowed):
        price_lists.set_price(
            actor=customer.principal,
            list_id=None,
            item=new_catalog_item(),
            price="1",
            effective=date.today(),
        )
