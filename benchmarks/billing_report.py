"""How long the billing report takes for 1,000 to 10,000 subscriptions over 12 months.

    .venv/bin/python benchmarks/billing_report.py [--sizes 1000 2000 5000 10000]

Builds a fresh SQLite database in a temporary folder (migrated to head) with one organization
per size, each with that many subscriptions of Business Basic (a year billed monthly, a year
paid up front, a month renewed every month) bought between November 2024 and January 2025, a
third of them with a seat change nine days in, all renewed when their term ends, priced by the
organization's list and Microsoft's costs: about nine lines per subscription in 2025. Then it
times, for the broker, each step of the page on 2025-01 .. 2025-12: the first report (every
subscription rated and kept), the report (headlines from the kept ratings: the 2 s goal), opening
the busiest date (its first page of subscriptions) and one subscription (its lines, explained),
and the whole report the export and the command read. It prints seconds (wall clock and CPU:
the CPU time is steadier on a busy machine) and the CPU time per 1,000 subscriptions: linear
growth keeps that last figure flat.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlmodel import col

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, PriceListKind, TenantStatus
from o365portal.db.migrate import upgrade
from o365portal.db.tables.billing import BillingRating
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import MicrosoftCost, PriceList, PriceListEntry
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.catalog import Term
from o365portal.domain.terms import renewal_date
from o365portal.services import billing
from o365portal.services.pricing._store import global_list
from o365portal.services.principal import Principal, Role

BROKER = Principal(0, "", "Benchmark", Role.BROKER, None)
ITEMS = [  # (availability, term, billing cycle, monthly-equivalent price, cost)
    ("CFQ7TTC0K971", "P1Y", "monthly", "7.50", "6.00"),
    ("CFQ7TTC0K971", "P1Y", "annual", "90.00", "72.00"),
    ("CFQ7TTC03RZG", "P1M", "monthly", "9.00", "7.20"),
]
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
FIRST, LAST = "2025-01", "2025-12"  # the months reported
T = TypeVar("T")
END = date(2025, 12, 31)  # the last day reported


def _item(availability: str, term: str, cycle: str) -> dict[str, Any]:
    return {
        "product_id": "CFQ7TTC0LH18",
        "sku_id": "0001",
        "availability_id": availability,
        "term": term,
        "billing_cycle": cycle,
    }


def _catalog() -> None:
    with session_scope() as session:
        global_list(session)  # as every broker's portal has (the first report would make it)
        for availability, term, cycle, _, cost in ITEMS:
            key = _item(availability, term, cycle)
            session.add(
                CatalogItem(
                    **key,
                    title="Microsoft 365 Business Basic",
                    category="M365",
                    product_group="Business",
                    max_quantity=300,
                    refreshed_at=SINCE,
                )
            )
            session.add(
                MicrosoftCost(**key, unit_cost=Decimal(cost), currency="USD", effective_from=SINCE)
            )


def _organization(size: int) -> int:
    with session_scope() as session:
        prices = PriceList(name=f"List {size}", kind=PriceListKind.CUSTOMER, currency="USD")
        session.add(prices)
        session.flush()
        for availability, term, cycle, price, _ in ITEMS:
            session.add(
                PriceListEntry(
                    **_item(availability, term, cycle),
                    sales_price=Decimal(price),
                    price_list_id=prices.id or 0,
                    currency="USD",
                    effective_from=SINCE,
                )
            )
        organization = Organization(
            company_name=f"Org {size}",
            street_address="1 Way",
            city="X",
            country="US",
            contact_first_name="A",
            contact_last_name="B",
            email="a@example.com",
            price_list_id=prices.id,
        )
        session.add(organization)
        session.flush()
        tenant = Tenant(
            organization_id=organization.id or 0,
            customer_id=f"customer-{size}",
            domain=f"t{size}.onmicrosoft.com",
            status=TenantStatus.ACTIVE,
        )
        session.add(tenant)
        session.flush()
        _subscriptions(session, tenant.id or 0, size)
        return organization.id or 0


def _subscriptions(session: Any, tenant_id: int, size: int) -> None:
    rows = []
    for number in range(size):
        availability, term, cycle, _, _ = ITEMS[number % len(ITEMS)]
        started = datetime(2024, 11, 1, 9, tzinfo=UTC) + timedelta(days=number % 90)
        rows.append(
            {
                **_item(availability, term, cycle),
                "tenant_id": tenant_id,
                "pc_subscription_id": f"{tenant_id}-{number}",
                "friendly_name": f"S{number}",
                "quantity": 5,
                "status": "active",
                "auto_renew": True,
                "started_at": started,
                "created_at": started,
                "updated_at": started,
            }
        )
    session.execute(insert(Subscription), rows)
    ids = session.execute(
        select(col(Subscription.id)).where(col(Subscription.tenant_id) == tenant_id)
    )
    history = []
    for row, subscription_id in zip(rows, sorted(found[0] for found in ids), strict=True):
        history += _history_of(subscription_id, row, seat_change=subscription_id % 3 == 0)
    session.execute(insert(SubscriptionHistory), history)


def _history_of(
    subscription_id: int, row: dict[str, Any], seat_change: bool
) -> list[dict[str, Any]]:
    """The order, a seat change nine days in (when asked), and every renewal through 2025."""
    started: datetime = row["started_at"]
    found = [_history(subscription_id, started, "order", {"quantity": 5})]
    if seat_change:
        found.append(
            _history(subscription_id, started + timedelta(days=9), "quantity", {"quantity": 7})
        )
    term_start, quantity = started.date(), 7 if seat_change else 5
    while (renewal := renewal_date(term_start, Term.parse(row["term"]))) <= END:
        at = datetime.combine(renewal, started.timetz())
        after = {"quantity": quantity, "renewed_at": at.isoformat()}
        found.append(_history(subscription_id, at, "renewal", after))
        term_start = renewal
    return found


def _history(
    subscription_id: int, at: datetime, action: str, after: dict[str, Any]
) -> dict[str, Any]:
    return {
        "subscription_id": subscription_id,
        "origin": ChangeOrigin.PORTAL,
        "at": at,
        "action": action,
        "after": after,
    }


Timing = tuple[float, float]  # seconds, CPU seconds


def _timed(action: Callable[[], T]) -> tuple[T, Timing]:
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, (time.perf_counter() - started, time.process_time() - cpu)


def _report(organization_id: int) -> list[billing.PeriodSummary]:
    return billing.report_periods(
        actor=BROKER, first_month=FIRST, last_month=LAST, organization_id=organization_id
    )


def _figures(organization_id: int) -> dict[str, Timing]:
    """Seconds and CPU seconds of each step a broker takes, and of the whole report."""
    figures: dict[str, Timing] = {}
    summaries, figures["first report (rates all)"] = _timed(lambda: _report(organization_id))
    _, figures["report"] = _timed(lambda: _report(organization_id))
    busiest = max(summaries, key=lambda s: s.subscriptions).report.month
    page, figures["open a date (page 1)"] = _timed(
        lambda: billing.period_page(actor=BROKER, month=busiest, organization_id=organization_id)
    )
    subscription_id = page.subscriptions[0].subscription_id
    _, figures["open a subscription"] = _timed(
        lambda: billing.subscription_lines(
            actor=BROKER, month=busiest, subscription_id=subscription_id
        )
    )
    _, figures["whole report (export)"] = _timed(
        lambda: billing.billing_report(
            actor=BROKER, first_month=FIRST, last_month=LAST, organization_id=organization_id
        )
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    sizes = parser.parse_args().sizes
    folder = Path(tempfile.mkdtemp(prefix="billing-benchmark-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'portal.db'}"
    get_settings.cache_clear()
    upgrade(os.environ["DATABASE_URL"])
    _catalog()
    organizations = {size: _organization(size) for size in sizes}
    _figures(organizations[sizes[0]])  # warm up imports and caches
    with session_scope() as session:  # and rate the first size again, as new
        session.execute(delete(BillingRating))
    out = sys.stdout
    out.write(f"{'subscriptions':>13} {'step':<26} {'seconds':>8} {'CPU s':>7} {'per 1,000':>10}\n")
    for size in sizes:
        for step, (seconds, cpu) in _figures(organizations[size]).items():
            per = cpu * 1000 / size
            out.write(f"{size:>13} {step:<26} {seconds:>8.2f} {cpu:>7.2f} {per:>10.3f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
