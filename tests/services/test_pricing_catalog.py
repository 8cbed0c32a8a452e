"""The catalog cache refreshed from the sandbox over HTTPS, and Microsoft's cost loaded with it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.pricing import MicrosoftCost
from o365portal.services import clock
from o365portal.services.errors import NotAllowed, PartnerCenterFailed
from o365portal.services.pricing import _catalog as catalog
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing import _rows as price_rows
from o365portal.services.pricing._catalog import derive_grouping
from o365portal.services.pricing._store import CatalogItemRef
from tests.builders import Account, new_customer, new_organization, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.pricing_support import (  # noqa: F401 - fixtures
    _broker,
    _pricing_database,
    _pricing_sandbox,
    _sandbox_catalog,
)

pytestmark = pytest.mark.usefixtures("pricing_sandbox")
BUSINESS_BASIC = ("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "P1Y", "monthly")


def _item(key: tuple[str, ...]) -> CatalogItem | None:
    names = ("product_id", "sku_id", "availability_id", "term", "billing_cycle")
    query = select(CatalogItem)
    for name, value in zip(names, key, strict=True):
        query = query.where(getattr(CatalogItem, name) == value)
    with session_scope() as session:
        return session.exec(query).first()


def test_the_refresh_caches_one_row_per_item_with_the_sandbox_grouping(
    sandbox_catalog: catalog.CatalogRefreshResult,
) -> None:
    assert sandbox_catalog.items >= 40
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(CatalogItem)).one() >= 40
    item = _item(BUSINESS_BASIC)
    assert item is not None
    assert "Business Basic" in item.title
    assert (item.category, item.product_group) != ("Other", "Standalone")
    assert item.provisioning_sku_id and item.max_quantity >= item.min_quantity >= 1


def test_the_sandbox_list_prices_become_microsoft_costs(
    sandbox_catalog: catalog.CatalogRefreshResult,
) -> None:
    with session_scope() as session:
        costs = session.exec(
            select(MicrosoftCost)
            .where(MicrosoftCost.product_id == BUSINESS_BASIC[0])
            .where(MicrosoftCost.availability_id == BUSINESS_BASIC[2])
            .where(MicrosoftCost.billing_cycle == "monthly")
        ).all()
    assert costs and all(cost.currency == "USD" and cost.unit_cost > 0 for cost in costs)


def _cached() -> dict[CatalogItemRef, int | None]:
    with session_scope() as session:
        return {CatalogItemRef.of(row): row.id for row in session.exec(select(CatalogItem))}


def test_a_second_refresh_adds_no_duplicate_costs_and_keeps_the_rows_it_cached(
    sandbox_catalog: catalog.CatalogRefreshResult, broker: Account
) -> None:
    before = _cached()  # the sandbox's items, and what other tests added to the shared cache
    again = asyncio.run(catalog.refresh_catalog(actor=broker.principal))
    after = _cached()
    assert again.items == sandbox_catalog.items == len(after)
    assert again.costs_added == 0
    assert after.items() <= before.items()  # updated in place, none dropped and made again
    assert again.removed == len(before) - len(after)  # only rows the sandbox does not sell


def test_a_failed_refresh_leaves_the_cache_intact(
    sandbox_catalog: catalog.CatalogRefreshResult,
    broker: Account,
    monkeypatch: pytest.MonkeyPatch,
    pricing_sandbox: PartnerCenterFake,
) -> None:
    monkeypatch.setattr(catalog.get_settings(), "broker_country", "ZZ")
    with pytest.raises(PartnerCenterFailed, match="catalog was not changed"):
        asyncio.run(catalog.refresh_catalog(actor=broker.principal))
    with session_scope() as session:
        count = session.exec(select(func.count()).select_from(CatalogItem)).one()
    assert count >= sandbox_catalog.items
    assert _item(BUSINESS_BASIC) is not None


def test_a_customer_cannot_refresh_the_catalog(broker: Account) -> None:
    customer = new_customer(new_organization(broker.principal).id)
    with pytest.raises(NotAllowed):
        asyncio.run(catalog.refresh_catalog(actor=customer.principal))


@pytest.mark.parametrize(
    ("title", "addon", "expected"),
    [
        ("Microsoft 365 Business Premium", False, ("Microsoft 365", "Business")),
        ("Office 365 E3", False, ("Microsoft 365", "Enterprise")),
        ("Microsoft 365 F1", False, ("Microsoft 365", "Frontline")),
        ("Exchange Online (Plan 1)", False, ("Exchange", "Standalone")),
        ("Microsoft Teams Phone Standard", True, ("Microsoft Teams", "Add-ons")),
        ("Something new", False, ("Other", "Standalone")),
    ],
)
def test_without_sandbox_attributes_the_grouping_is_derived_from_the_title(
    title: str, addon: bool, expected: tuple[str, str]
) -> None:
    assert derive_grouping(title, is_addon=addon) == expected


def test_a_quote_for_a_sandbox_item_carries_the_sandbox_cost_for_brokers_only(
    sandbox_catalog: catalog.CatalogRefreshResult, broker: Account
) -> None:
    item = CatalogItemRef(*BUSINESS_BASIC)
    org = new_organization(broker.principal)
    own = price_lists.create_price_list(actor=broker.principal, name=unique("BB "), currency="USD")
    price_lists.assign_price_list(actor=broker.principal, organization_id=org.id, list_id=own.id)
    cost = price_rows.price_rows(
        actor=broker.principal,
        list_id=own.id,
        filters=price_rows.PriceFilters(text=item.product_id),
    ).rows
    unit_cost = next(row.cost for row in cost if row.item == item)
    assert unit_cost is not None
    price = unit_cost * 2
    price_lists.set_price(
        actor=broker.principal, list_id=own.id, item=item, price=str(price), effective=clock.today()
    )
    arguments = {"organization_id": org.id, "item": item, "quantity": 10, "on": clock.today()}
    seen = pricing.quote(actor=broker.principal, **arguments)  # type: ignore[arg-type]
    assert isinstance(seen, pricing.BrokerPriceQuoteView)
    assert (seen.source, seen.unit_cost, seen.margin_percent) == ("customer", unit_cost, 50)
    customer_view = pricing.quote(actor=new_customer(org.id).principal, **arguments)  # type: ignore[arg-type]
    assert type(customer_view) is pricing.PriceQuoteView
    assert customer_view.total == price * 10
