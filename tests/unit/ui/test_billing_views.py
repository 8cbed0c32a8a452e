"""What the billing page keeps of the report's levels: for customers no cost anywhere."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from o365portal.services import billing
from o365portal.ui.billing import billing_views as views

NO_COST = {f.name for f in dataclasses.fields(billing.CostColumns)}


def _line() -> billing.LineView:
    day = date(2026, 3, 1)
    return billing.LineView(
        "Cycle fee", "cycleCharge", day, day, 1, Decimal(9), Decimal(9), Decimal(9),
        "2026-03-01 – 2026-03-31", "9.00 USD", "9.00 USD", "why", "history:1",
    )  # fmt: skip


def _subscription(n: int) -> billing.SubscriptionBilling:
    return billing.SubscriptionBilling(
        n, f"pc-{n}", f"Sub {n}", "Basic", "A:B:C", "", 1, "Org", 0, "", Decimal(9),
        "9.00 USD", (_line(),), "",
    )  # fmt: skip


def test_a_customers_held_levels_have_no_cost_field() -> None:
    held = [_subscription(1), *_subscription(1).lines]
    assert all(NO_COST.isdisjoint(vars(view)) for view in held)
    assert views.organization_totals([billing.OrganizationTotal(1, "Org", Decimal(9), "9")]) == []
