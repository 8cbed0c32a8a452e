"""Arrangements for the billing report tests.

They buy Microsoft 365 Business Basic (no Teams), SKU 000P, which no other test prices, so the
portal's Microsoft cost list can mirror the sandbox's own price series for it (the earliest
price from 2020 on, as the sandbox applies it before its first date) without touching another
test's costs in the shared database. Both clocks are moved to Microsoft's example days.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.pricing import MicrosoftCost, PriceListEntry
from o365portal.sandbox.commerce.catalog_data import load_catalog
from o365portal.services import billing, clock
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.pricing._store import CatalogItemRef, global_list, start_of
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    Shop,
    broker_settings,
    ensure_catalog,
    fast_client,
    order_form,
)

NO_TEAMS_MONTHLY = CatalogItemRef("CFQ7TTC0LH18", "000P", "CFQ7TTC0J51D", "P1M", "monthly")
NO_TEAMS_P1Y_MONTHLY = CatalogItemRef("CFQ7TTC0LH18", "000P", "CFQ7TTC0QQ9N", "P1Y", "monthly")
NO_TEAMS_ANNUAL = CatalogItemRef("CFQ7TTC0LH18", "000P", "CFQ7TTC0QQ9N", "P1Y", "annual")
ITEMS = (NO_TEAMS_MONTHLY, NO_TEAMS_P1Y_MONTHLY, NO_TEAMS_ANNUAL)
SINCE = date(2020, 1, 1)


def sandbox_prices(ref: CatalogItemRef) -> list[tuple[date, Decimal]]:
    """The sandbox's USD price series of `ref`, the first one from SINCE."""
    item = load_catalog().item(ref.catalog_item_id)
    assert item is not None
    [term] = [
        t for t in item.availability["terms"] if t["billingCycle"].lower() == ref.billing_cycle
    ]
    series = sorted(term["prices"]["USD"], key=lambda row: row["effectiveDate"])
    days = [SINCE] + [date.fromisoformat(row["effectiveDate"]) for row in series[1:]]
    return [(day, Decimal(row["unitPrice"])) for day, row in zip(days, series, strict=True)]


def ensure_billing_items() -> None:
    """The catalog rows of ITEMS and Microsoft's costs of them, mirrored from the sandbox."""
    ensure_catalog(  # as the sandbox's catalog names it: not to be taken for Business Basic
        *ITEMS,
        title="Microsoft 365 Business Basic (no Teams)",
        description="Web and mobile Office apps, 1 TB OneDrive, business e-mail; no Teams.",
        provisioning_sku_id="21502a13-c8dc-4744-be9c-177fd9d2eafc",
        sku_part_number="Microsoft_365_Business_Basic_(no Teams)",
    )
    with session_scope() as session:
        for ref in ITEMS:
            costs = session.exec(
                select(MicrosoftCost.effective_from).where(
                    MicrosoftCost.sku_id == ref.sku_id,
                    MicrosoftCost.availability_id == ref.availability_id,
                    MicrosoftCost.billing_cycle == ref.billing_cycle,
                    MicrosoftCost.currency == "USD",
                )
            ).all()
            have = {moment.date() for moment in costs}
            for day, price in sandbox_prices(ref):
                if day not in have:
                    session.add(
                        MicrosoftCost(
                            **vars(ref),
                            unit_cost=price,
                            currency="USD",
                            effective_from=start_of(day),
                        )
                    )


def ensure_global_price(ref: CatalogItemRef, amount: str) -> None:
    """The global list's price of `ref` from SINCE (only these tests price these items)."""
    with session_scope() as session:
        standard = global_list(session)
        found = session.exec(
            select(PriceListEntry).where(
                PriceListEntry.price_list_id == standard.id,
                PriceListEntry.sku_id == ref.sku_id,
                PriceListEntry.availability_id == ref.availability_id,
                PriceListEntry.billing_cycle == ref.billing_cycle,
            )
        ).first()
        if found is None:
            session.add(
                PriceListEntry(
                    **vars(ref),
                    price_list_id=standard.id or 0,
                    sales_price=Decimal(amount),
                    currency="USD",
                    effective_from=start_of(SINCE),
                )
            )


def billing_cycle_day(day: int | None) -> None:
    """The broker's Microsoft billing cycle day (None: calendar months)."""
    broker_settings()
    with session_scope() as session:
        row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
        assert row is not None
        row.billing_cycle_day = day


@contextmanager
def clocks_put_back(control: PartnerCenterFake) -> Iterator[None]:
    """Calendar-month billing and the items priced; afterwards both clocks where they were
    (the sandbox clock survives its reset) and the sandbox reset."""
    started = control.state.now().isoformat()
    ensure_billing_items()
    billing_cycle_day(None)
    try:
        yield
    finally:
        clock.set_offset(timedelta(0))
        control.reset()
        control.post("clock", {"now": started})
        billing_cycle_day(None)


def set_clocks(control: PartnerCenterFake, when: datetime) -> None:
    """Both clocks, the portal's business time and Microsoft's, to `when`."""
    clock.set_offset(when - datetime.now(UTC))
    control.post("clock", {"now": when.isoformat()})


def at(day: str) -> datetime:
    """9:00 UTC on `day` (YYYY-MM-DD)."""
    return datetime.fromisoformat(f"{day}T09:00:00+00:00")


async def buy(
    sandbox: PartnerCenterFake,
    control: PartnerCenterFake,
    shop: Shop,
    ref: CatalogItemRef,
    quantity: int,
    **fields: Any,
) -> int:
    """Order `quantity` seats of `ref` for the shop in the portal; Microsoft provisions it."""
    async with fast_client(sandbox) as pc:
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(ref, quantity=quantity, **fields),
            pc=pc,
        )
        clock.advance(timedelta(seconds=11))
        control.post("clock", {"advance": "PT11S"})
        assert outcome.record_id in await complete_provisioning(pc=pc)
    return outcome.record_id


def whole_report(**arguments: Any) -> list[billing.BillingReport]:
    """`billing.billing_report(**arguments)`, after checking that the page's levels
    (`report_periods`, `period_page` at a small page size, `subscription_lines`) say the same:
    each period's headline and count, its subscriptions in order with their totals, the
    organizations' totals broker-wide, and each subscription's lines."""
    reports = billing.billing_report(**arguments)
    actor = arguments["actor"]
    organization_id = arguments.get("organization_id")
    summaries = billing.report_periods(**arguments)
    assert [s.report for s in summaries] == [
        replace(r, subscriptions=(), organizations=()) for r in reports
    ]
    assert [s.subscriptions for s in summaries] == [len(r.subscriptions) for r in reports]
    for report in reports:
        shown: list[billing.SubscriptionBilling] = []
        page = billing.period_page(
            actor=actor, month=report.month, organization_id=organization_id, per_page=2
        )
        shown += page.subscriptions
        while page.page + 1 < page.pages:
            page = billing.period_page(
                actor=actor,
                month=report.month,
                organization_id=organization_id,
                page=page.page + 1,
                per_page=2,
            )
            shown += page.subscriptions
        assert shown == [replace(s, lines=()) for s in report.subscriptions]
        broker_wide = organization_id is None and actor.is_broker
        assert page.organizations == (report.organizations if broker_wide else ())
        for subscription in report.subscriptions:
            lines = billing.subscription_lines(
                actor=actor,
                month=report.month,
                subscription_id=subscription.subscription_id,
                organization_id=organization_id,
            )
            assert lines == subscription.lines
    return reports
