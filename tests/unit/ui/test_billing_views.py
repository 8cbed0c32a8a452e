"""What the billing page keeps of a report: each level without the one below, a page of 50
subscriptions at a time, and for customers no cost anywhere."""

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


def _report(count: int) -> billing.BillingReport:
    total = billing.OrganizationTotal(1, "Org", Decimal(9), "9.00 USD")
    return billing.BillingReport(
        "2026-03", date(2026, 4, 1), date(2026, 3, 1), date(2026, 3, 31), 1, "USD",
        Decimal(9), "9.00 USD", tuple(_subscription(n) for n in range(count)), (total,),
    )  # fmt: skip


def test_a_headline_has_no_subscriptions_and_a_page_no_lines() -> None:
    report = _report(3)
    assert views.headline(report).subscriptions == ()
    assert views.headline(report).organizations == ()
    assert [s.lines for s in views.page_of(report, 0)] == [(), (), ()]


def test_subscriptions_come_fifty_to_a_page() -> None:
    report = _report(120)
    assert views.pages(report) == 3
    assert [len(views.page_of(report, page)) for page in range(3)] == [50, 50, 20]
    assert views.page_of(report, 1)[0].friendly_name == "Sub 50"


def test_a_customers_report_page_and_lines_have_no_cost_field() -> None:
    report = _report(1)
    held = [views.headline(report), *views.page_of(report, 0), *report.subscriptions[0].lines]
    assert all(NO_COST.isdisjoint(vars(view)) for view in held)
    assert views.check(report) == views.NOT_CHECKED
    assert views.organization_totals(report) == []
