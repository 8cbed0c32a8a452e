"""The billing report reads everything in a fixed number of queries: as many for 30
subscriptions as for 3 (each with its history and its own price), however many lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, TenantStatus
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.services import billing
from tests.builders import Account, new_broker, new_organization, unique
from tests.services.billing_support import (
    NO_TEAMS_P1Y_MONTHLY,
    billing_cycle_day,
    ensure_billing_items,
    ensure_global_price,
)
from tests.services.statements import counting_statements

pytestmark = pytest.mark.usefixtures("portal_env")


def _organization_with(count: int) -> tuple[int, Account]:
    """An organization whose tenant holds `count` subscriptions bought in January 2025, every
    other one with a price of its own from March."""
    broker = new_broker()
    organization = new_organization(broker.principal)
    with session_scope() as session:
        tenant = Tenant(
            organization_id=organization.id,
            customer_id=unique("pc-"),
            domain=f"{unique('t')}.onmicrosoft.com",
            status=TenantStatus.ACTIVE,
        )
        session.add(tenant)
        session.flush()
        for number in range(count):
            started = datetime(2025, 1, 1 + number % 28, 9, tzinfo=UTC)
            row = Subscription(
                **vars(NO_TEAMS_P1Y_MONTHLY),
                tenant_id=tenant.id or 0,
                pc_subscription_id=unique("sub-"),
                friendly_name=f"Team {number}",
                quantity=2,
                status="active",
                started_at=started,
            )
            session.add(row)
            session.flush()
            session.add(
                SubscriptionHistory(
                    subscription_id=row.id or 0,
                    at=started,
                    action="order",
                    origin=ChangeOrigin.PORTAL,
                    after={"quantity": 2},
                )
            )
            if number % 2:
                session.add(
                    SubscriptionPrice(
                        subscription_id=row.id or 0,
                        currency="USD",
                        effective_from=date(2025, 3, 1),
                        reason="deal",
                        unit_price=Decimal("5.00"),
                    )
                )
    return organization.id, broker


def test_the_number_of_queries_does_not_grow_with_the_subscriptions() -> None:
    ensure_billing_items()
    ensure_global_price(NO_TEAMS_P1Y_MONTHLY, "8.00")
    billing_cycle_day(None)
    counted, lines = [], []
    for count in (3, 30):
        organization_id, broker = _organization_with(count)
        with counting_statements() as statements:
            reports = billing.billing_report(
                actor=broker.principal,
                first_month="2025-01",
                last_month="2025-06",
                organization_id=organization_id,
            )
        counted.append(len(statements))
        lines.append(sum(len(sub.lines) for report in reports for sub in report.subscriptions))
    assert lines == [3 * 6, 30 * 6]  # a cycle fee a month each
    assert counted[0] == counted[1]
