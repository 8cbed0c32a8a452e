"""Arrangements for the add-on tests (services and browser): catalog rows of add-ons as a catalog
refresh stores them, their prices for a shop, and a base subscription ordered and provisioned
in the sandbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.subscriptions import Subscription
from o365portal.domain import pricing as rules
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import clock
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._store import CatalogItemRef
from tests.sandboxes import Sandbox
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    Shop,
    ensure_cost,
    order_form,
    set_price,
)

# Microsoft Teams Premium, an add-on of (among others) Business Basic, in the sandbox's catalog.
TEAMS_PREMIUM = CatalogItemRef("CFQ7TTC0RM8K", "0002", "CFQ7TTC08QLM", "P1Y", "monthly")
TEAMS_PREMIUM_ANNUAL = CatalogItemRef("CFQ7TTC0RM8K", "0002", "CFQ7TTC08QLM", "P1Y", "annual")
TEAMS_PREMIUM_MONTH = CatalogItemRef("CFQ7TTC0RM8K", "0002", "CFQ7TTC0KL44", "P1M", "monthly")
# An add-on of another product only (not in the sandbox; never ordered).
FOREIGN_ADDON = CatalogItemRef("CFQ7TTC0ZZZZ", "0001", "CFQ7TTC0ZZZ1", "P1Y", "monthly")
TEAMS_PREMIUM_TEXT = "Advanced meeting protection, intelligent recap and branded meetings."
_BASES = ["CFQ7TTC0LH18:0001", "CFQ7TTC0LH18:000P", "CFQ7TTC0LDPB:0001"]


def ensure_addon_catalog() -> None:
    """The add-on rows of the catalog cache (once per database), with the description the
    tests show."""
    rows = [
        (TEAMS_PREMIUM, "Microsoft Teams Premium", _BASES),
        (TEAMS_PREMIUM_ANNUAL, "Microsoft Teams Premium", _BASES),
        (TEAMS_PREMIUM_MONTH, "Microsoft Teams Premium", _BASES),
        (FOREIGN_ADDON, "Visio Boost", ["CFQ7TTC0HD32:0002"]),
    ]
    with session_scope() as session:
        for ref, title, bases in rows:
            found = session.exec(
                select(CatalogItem).where(
                    CatalogItem.product_id == ref.product_id,
                    CatalogItem.availability_id == ref.availability_id,
                    CatalogItem.billing_cycle == ref.billing_cycle,
                )
            ).first()
            if found is None:
                session.add(_addon_row(ref, title, bases))
            else:  # a catalog refresh brought Microsoft's row: give it the words tests look for
                found.description = TEAMS_PREMIUM_TEXT
                session.add(found)


def _addon_row(ref: CatalogItemRef, title: str, bases: list[str]) -> CatalogItem:
    return CatalogItem(
        **vars(ref),
        title=title,
        description=TEAMS_PREMIUM_TEXT,
        category="Microsoft Teams",
        product_group="Add-ons",
        is_addon=True,
        prerequisite_skus=bases,
        min_quantity=1,
        max_quantity=5000,
        refreshed_at=datetime.now(UTC),
    )


def price_addons(shop: Shop) -> None:
    """The shop sells Teams Premium at 10.00 USD a seat a month (Microsoft's cost 8.00)."""
    ensure_addon_catalog()
    for ref in (TEAMS_PREMIUM, TEAMS_PREMIUM_ANNUAL, TEAMS_PREMIUM_MONTH, FOREIGN_ADDON):
        set_price(
            shop, ref, "120.00" if ref.billing_cycle == "annual" else "10.00", date(2020, 1, 1)
        )
    ensure_cost(TEAMS_PREMIUM, "8.00")


async def base_subscription(
    sandbox: Sandbox, pc: PartnerCenterClient, shop: Shop, *, provisioned: bool = True
) -> int:
    """Business Basic ordered by the broker for the shop (3 seats), provisioned unless told."""
    outcome = await ordering.place_order(
        actor=shop.broker.principal,
        organization_id=shop.organization_id,
        form=order_form(BASIC_MONTHLY, 3, friendly_name="Office staff"),
        pc=pc,
    )
    if provisioned:
        sandbox.post("clock", {"advance": "PT11S"})  # Microsoft provisions it
        await complete_provisioning(pc=pc)  # (or a running portal's job did)
        with session_scope() as session:
            row = session.get(Subscription, outcome.record_id)
            assert row is not None and row.status == "active"
    return outcome.record_id


def cost_today(ref: CatalogItemRef) -> Decimal:
    """Microsoft's cost of `ref` in force today: 8.00 (price_addons), unless a catalog refresh
    (another test, or a portal's start) brought Microsoft's newer list price into the shared
    database."""
    with session_scope() as session:
        costs = price_store.cost_list(session, [ref], "USD")
    found = rules.cost(ref.rules_item, clock.today(), cost_list=costs)
    assert not isinstance(found, rules.NotForSale)
    return found.price.amount


def cost_words(ref: CatalogItemRef, price: Decimal) -> str:
    """The add-on card's cost and margin for a sales `price`: "Cost 8.00 USD · Margin 20.00 %"."""
    cost = cost_today(ref)
    return f"Cost {cost:.2f} USD · Margin {(price - cost) * 100 / price:.2f} %"
