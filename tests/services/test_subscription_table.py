"""The Subscriptions table's facts: product and offer id, seats assigned and free from the
licences sync keeps, price per seat and per charge cycle in the broker's number format, renewal
with Partner Center's scheduled changes, add-ons under their parent; read with as many queries
for 30 subscriptions as for 3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, TenantStatus
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.m365_users import SubscribedSku
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center.models import (
    ScheduledNextTermInstructions,
    ScheduledProduct,
)
from o365portal.services import licences, subscriptions, sync
from o365portal.services.pricing._store import CatalogItemRef
from tests.builders import Account, new_broker, new_customer, new_organization, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    BASIC_ANNUAL,
    BASIC_ENTRA_SKU,
    BASIC_MONTHLY,
    Shop,
    broker_settings,
    fast_client,
)
from tests.services.ordering_support import open_shop as open_sandbox_shop
from tests.services.statements import counting_statements
from tests.services.table_support import (
    STANDARD,
    TEAMS_PREMIUM,
    bought_in_partner_center,
    ensure_table_catalog,
    licensed_user,
)

pytestmark = pytest.mark.usefixtures("portal_env")

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def catalog(portal_env: None) -> None:
    """The catalog rows these tests buy from."""
    ensure_table_catalog()


@dataclass(frozen=True)
class Org:
    """An organization with one tenant, its broker and a customer of it."""

    id: int
    tenant_id: int
    broker: Account
    customer: Account


def _tenant(organization_id: int) -> int:
    with session_scope() as session:
        tenant = Tenant(
            organization_id=organization_id, customer_id=unique("pc-"),
            domain=f"{unique('t')}.onmicrosoft.com", status=TenantStatus.ACTIVE,
        )  # fmt: skip
        session.add(tenant)
        session.flush()
        return tenant.id or 0


def _org() -> Org:
    broker = new_broker()
    org = new_organization(broker.principal)
    return Org(org.id, _tenant(org.id), broker, new_customer(org.id))


def _subscription(
    tenant_id: int,
    name: str,
    ref: CatalogItemRef = BASIC_MONTHLY,
    quantity: int = 1,
    *,
    price: str | None = None,
    started: datetime = NOW,
    **columns: Any,
) -> int:
    """A subscription as sync or an order leaves it, with the price it was charged at."""
    with session_scope() as session:
        row = Subscription(
            **vars(ref), tenant_id=tenant_id, pc_subscription_id=unique("sub-"),
            friendly_name=name, quantity=quantity, started_at=started,
            term_end_at=started + timedelta(days=364), **({"status": "active"} | columns),
        )  # fmt: skip
        session.add(row)
        session.flush()
        assert row.id is not None
        if price is not None:
            for amount, at in (("1.00", started - timedelta(days=1)), (price, started)):
                session.add(
                    SubscriptionHistory(
                        subscription_id=row.id, origin=ChangeOrigin.PORTAL, at=at,
                        action="order", unit_price=Decimal(amount), currency="USD",
                    )
                )  # fmt: skip
        return row.id


def _synced_skus(tenant_id: int, consumed: dict[str, int]) -> None:
    with session_scope() as session:
        for sku_id, units in consumed.items():
            session.add(
                SubscribedSku(
                    tenant_id=tenant_id, sku_id=sku_id, active_units=units + 5,
                    consumed_units=units, available_units=5, synced_at=NOW,
                )
            )  # fmt: skip


def _rows(org: Org, as_customer: bool = False) -> list[subscriptions.SubscriptionRow]:
    actor = (org.customer if as_customer else org.broker).principal
    return subscriptions.list_subscriptions(actor=actor, organization_id=org.id).subscriptions


def _by_name(rows: list[subscriptions.SubscriptionRow]) -> dict[str, subscriptions.SubscriptionRow]:
    return {row.friendly_name: row for row in rows}


def test_a_row_shows_product_offer_id_price_per_seat_and_per_cycle_term_and_renewal() -> None:
    org = _org()
    _subscription(org.tenant_id, "Sales", quantity=10, price="7.50", po_number="PO-17")
    _subscription(org.tenant_id, "Board", BASIC_ANNUAL, 3, price="90.005", auto_renew=False)
    _subscription(org.tenant_id, "Legacy", STANDARD, 2)

    for as_customer in (False, True):
        rows = _by_name(_rows(org, as_customer))
        sales, board, legacy = rows["Sales"], rows["Board"], rows["Legacy"]
        assert (sales.product, sales.offer_id, sales.po_number) == (
            "Microsoft 365 Business Basic", "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "PO-17",
        )  # fmt: skip
        assert (sales.quantity, sales.seats, sales.price) == ("10", "10 seats", "7.50 USD")
        assert (sales.price_per_seat, sales.price_per_cycle) == (
            "7.50 USD / seat / month", "75.00 USD / month",
        )  # fmt: skip
        assert (sales.term, sales.billing_cycle, sales.status) == ("1 year", "Monthly", "Active")
        assert (sales.date, sales.when) == ("2027-11-29", "Renews 2027-11-29")
        assert (sales.auto_renew, sales.auto_renew_words) == (True, "Auto-renew on")
        assert (sales.renews_with_changes, sales.renewal_changes) == (False, "")
        assert (board.price_per_seat, board.price_per_cycle) == (
            "90.005 USD / seat / year", "270.01 USD / year",  # 270.015, truncated once
        )  # fmt: skip
        assert board.auto_renew_words == "Auto-renew off"
        assert (legacy.product, legacy.price_per_seat, legacy.price_per_cycle) == (
            "Microsoft 365 Business Standard", "", "",
        )  # fmt: skip
        names = {field.name for field in fields(subscriptions.SubscriptionRow)}
        assert not {name for name in names if "cost" in name or "margin" in name}


@contextmanager
def _number_locale(locale: str) -> Iterator[None]:
    broker_settings()
    with session_scope() as session:
        row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
        assert row is not None
        before, row.number_locale = row.number_locale, locale
    try:
        yield
    finally:
        with session_scope() as session:
            row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
            assert row is not None
            row.number_locale = before


def test_prices_are_written_in_the_brokers_number_format() -> None:
    org = _org()
    _subscription(org.tenant_id, "Sales", quantity=200, price="7.50")
    with _number_locale("de_DE"):
        [row] = _rows(org, as_customer=True)
    assert (row.price_per_seat, row.price_per_cycle) == (
        "7,50 USD / seat / month", "1.500,00 USD / month",
    )  # fmt: skip


def test_seats_in_use_come_from_the_synced_skus_shared_out_oldest_subscription_first() -> None:
    org = _org()
    _subscription(org.tenant_id, "Newer", BASIC_ANNUAL, 5, started=NOW)
    _subscription(org.tenant_id, "Older", BASIC_MONTHLY, 3, started=NOW - timedelta(days=40))
    _subscription(org.tenant_id, "Office", STANDARD, 2)  # its SKU was never synced
    _synced_skus(org.tenant_id, {BASIC_ENTRA_SKU: 4})

    rows = _by_name(_rows(org))

    older, newer, office = rows["Older"], rows["Newer"], rows["Office"]
    assert (older.consumed, older.free, older.usage) == ("3", "0", "3 assigned · 0 free")
    assert (newer.consumed, newer.free, newer.usage) == ("1", "4", "1 assigned · 4 free")
    assert (office.consumed, office.free, office.usage) == ("—", "—", "— assigned · — free")


def test_seats_assigned_beyond_every_subscription_count_against_the_last() -> None:
    org = _org()
    _subscription(org.tenant_id, "Older", BASIC_MONTHLY, 3, started=NOW - timedelta(days=40))
    _subscription(org.tenant_id, "Newer", BASIC_ANNUAL, 5, started=NOW)
    _subscription(org.tenant_id, "Paused", BASIC_ANNUAL, 4, started=NOW, status="suspended")
    _synced_skus(org.tenant_id, {BASIC_ENTRA_SKU.upper(): 14})

    rows = _by_name(_rows(org))

    assert [(rows[n].consumed, rows[n].free) for n in ("Older", "Newer", "Paused")] == [
        ("3", "0"), ("5", "0"), ("6", "0"),
    ]  # fmt: skip


def test_an_add_on_is_listed_under_the_first_qualifying_parent_by_name() -> None:
    org = _org()
    zeta = _subscription(org.tenant_id, "Zeta basic", BASIC_MONTHLY, 5)
    alpha = _subscription(org.tenant_id, "alpha standard", STANDARD, 5)
    _subscription(org.tenant_id, "Meetings", TEAMS_PREMIUM, 2)
    _subscription(org.tenant_id, "Beta", BASIC_MONTHLY, 1)
    other_tenant = _tenant(org.id)  # an add-on never belongs under another tenant's subscription
    _subscription(other_tenant, "Lonely meetings", TEAMS_PREMIUM, 1)

    rows = _rows(org)

    assert [(r.friendly_name, r.parent_id, r.parent_name) for r in rows] == [
        ("alpha standard", 0, ""),
        ("Meetings", alpha, "alpha standard"),
        ("Beta", 0, ""),
        ("Lonely meetings", 0, ""),
        ("Zeta basic", 0, ""),
    ]
    assert zeta not in {row.parent_id for row in rows}


def test_an_add_on_ordered_in_the_portal_is_listed_under_the_subscription_it_was_ordered_for() -> (
    None
):
    org = _org()
    _subscription(org.tenant_id, "alpha standard", STANDARD, 5)  # first by name, qualifies too
    basic = _subscription(org.tenant_id, "Office staff", BASIC_MONTHLY, 5)
    _subscription(org.tenant_id, "Meetings", TEAMS_PREMIUM, 2, base_subscription_id=basic)

    rows = _by_name(_rows(org))

    assert (rows["Meetings"].parent_id, rows["Meetings"].parent_name) == (basic, "Office staff")


def _org_with(count: int) -> Org:
    org = _org()
    _synced_skus(org.tenant_id, {BASIC_ENTRA_SKU: count})
    for number in range(count):
        ref = (BASIC_MONTHLY, STANDARD, TEAMS_PREMIUM)[number % 3]
        _subscription(org.tenant_id, f"Team {number:02}", ref, 2, price="7.50")
    return org


def test_the_number_of_queries_does_not_grow_with_the_subscriptions() -> None:
    small, large = _org_with(3), _org_with(30)
    counted = []
    for org in (small, large):
        with counting_statements() as statements:
            rows = _rows(org)
        counted.append(len(statements))
        assert all(row.price and row.consumed != "—" for row in rows if "Basic" in row.product)
        assert any(row.parent_id for row in rows)
    assert counted[0] == counted[1]


async def _sync_tenant(sandbox: PartnerCenterFake, shop: Shop) -> None:
    async with fast_client(sandbox) as pc:
        report = await sync.run_sync("tenant", customer_id=shop.customer_id, pc=pc)
    assert report.error is None


def _shop_rows(shop: Shop) -> list[subscriptions.SubscriptionRow]:
    actor = shop.customer.principal
    return subscriptions.list_subscriptions(
        actor=actor, organization_id=shop.organization_id
    ).subscriptions


async def test_licences_assigned_in_partner_center_show_as_seats_in_use_after_a_sync(
    sandbox: PartnerCenterFake,
) -> None:
    async with fast_client(sandbox) as pc:
        shop = await open_sandbox_shop(pc, price="7.50")
    await bought_in_partner_center(sandbox, shop.customer_id, BASIC_MONTHLY, 3, "Bought")
    await _sync_tenant(sandbox, shop)
    [row] = _shop_rows(shop)
    assert (row.consumed, row.free) == ("0", "3")  # synced: none assigned yet, not unknown

    await licensed_user(sandbox, shop.customer_id)
    await _sync_tenant(sandbox, shop)

    [row] = _shop_rows(shop)
    assert (row.seats, row.consumed, row.free, row.usage) == (
        "3 seats", "1", "2", "1 assigned · 2 free",
    )  # fmt: skip


async def test_changes_scheduled_for_the_renewal_in_partner_center_show_after_a_sync(
    sandbox: PartnerCenterFake,
) -> None:
    async with fast_client(sandbox) as pc:
        shop = await open_sandbox_shop(pc, price="7.50")
    pc_id = await bought_in_partner_center(sandbox, shop.customer_id, BASIC_MONTHLY, 3, "Bought")
    await _sync_tenant(sandbox, shop)
    [row] = _shop_rows(shop)
    assert (row.renews_with_changes, row.renewal_changes) == (False, "")

    instructions = ScheduledNextTermInstructions(
        product=ScheduledProduct(
            product_id="CFQ7TTC0LH18", sku_id="0001", availability_id="CFQ7TTC0K971",
            billing_cycle="annual", term_duration="P1Y",
        ),
        quantity=5,
    )  # fmt: skip
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.schedule_next_term(shop.customer_id, pc_id, instructions)
    await _sync_tenant(sandbox, shop)

    [row] = _shop_rows(shop)
    assert row.renews_with_changes
    assert row.renewal_changes == "At renewal: 5 seats · Annual billing"

    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.schedule_next_term(shop.customer_id, pc_id, None)
    await _sync_tenant(sandbox, shop)
    [row] = _shop_rows(shop)
    assert (row.renews_with_changes, row.renewal_changes) == (False, "")


def test_unused_seats_read_no_query_per_subscription() -> None:
    """The users page's free-seat notice reads every subscription's lots at once."""

    def org_with_free_seats(count: int) -> Org:
        org = _org()
        _synced_skus(org.tenant_id, {BASIC_ENTRA_SKU: count})  # of 5 x count seats bought
        for number in range(count):
            _subscription(org.tenant_id, f"Spare {number:02}", BASIC_MONTHLY, 5)
        return org

    small, large = org_with_free_seats(3), org_with_free_seats(30)
    counted, found = [], []
    for org in (small, large):
        with counting_statements() as statements:
            unused = licences.unused_seats(actor=org.broker.principal, organization_id=org.id)
        counted.append(len(statements))
        found.append(len(unused))
    assert 0 < found[0] < found[1]
    assert counted[0] == counted[1]
