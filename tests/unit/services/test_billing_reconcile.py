"""Pairing the report's cost lines with Microsoft's reconciliation lines: by subscription,
charge type, charge start and end, quantity and sign; each pair to the cent; what is left is
missing on one side."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from o365portal.partner_center.models.billing import ReconLineItem
from o365portal.services.billing import (
    BrokerBillingReport,
    BrokerLineView,
    BrokerSubscriptionBilling,
)
from o365portal.services.billing._reconcile import _differences

START, END = date(2021, 6, 20), date(2021, 7, 17)
COSTS = {"margin": None, "margin_percent": None, "cost_text": "", "margin_text": "",
         "margin_percent_text": ""}  # fmt: skip


def _line(quantity: int, cost: str, charge_type: str = "addQuantity") -> BrokerLineView:
    amount = Decimal(cost)
    return BrokerLineView(
        type="", microsoft_charge_type=charge_type, charge_start=START, charge_end=END,
        quantity=quantity, unit_price=Decimal(9), effective_unit_price=Decimal(0), amount=amount,
        period_text="", unit_price_text="", amount_text="", why="", reference="history:1",
        unit_cost=Decimal("7.20"), unit_cost_text="", cost_why="", **COSTS, cost=amount,
    )  # fmt: skip


def _theirs(quantity: int, subtotal: str, charge_type: str = "addQuantity") -> ReconLineItem:
    return ReconLineItem(
        subscription_id="SUB-1", charge_type=charge_type, quantity=quantity,
        subtotal=Decimal(subtotal), subscription_description="Desk at Microsoft",
        charge_start_date=datetime(2021, 6, 20, tzinfo=UTC),
        charge_end_date=datetime(2021, 7, 17, tzinfo=UTC),
    )  # fmt: skip


def _report(*lines: BrokerLineView) -> BrokerBillingReport:
    sub = BrokerSubscriptionBilling(
        subscription_id=1, partner_center_subscription_id="sub-1", friendly_name="Desk",
        product="", offer_id="", po_number="", organization_id=1, organization_name="",
        parent_subscription_id=0, parent_name="", total=Decimal(0), total_text="",
        lines=lines, problem="", cost=None, **COSTS,
    )  # fmt: skip
    return BrokerBillingReport(
        month="2021-06", billing_date=date(2021, 7, 1), period_start=date(2021, 6, 1),
        period_end=date(2021, 6, 30), organization_id=1, currency="USD", total=Decimal(0),
        total_text="", subscriptions=(sub,), organizations=(), cost=None, **COSTS,
        reconciliation=None,
    )  # fmt: skip


def test_lines_pair_by_quantity_and_sign_and_must_agree_to_the_cent() -> None:
    report = _report(_line(10, "-67.20"), _line(12, "80.64"))
    assert _differences(report, [_theirs(12, "80.64"), _theirs(10, "-67.20")]) == []

    [differs] = _differences(report, [_theirs(10, "-67.20"), _theirs(12, "80.65")])
    assert (differs.kind, differs.ours, differs.microsofts) == (
        "amount differs", Decimal("80.64"), Decimal("80.65"),
    )  # fmt: skip
    assert differs.text.endswith("the portal has a cost of 80.64, Microsoft billed 80.65.")


def test_what_is_left_over_is_missing_on_one_side() -> None:
    report = _report(_line(10, "-67.20"), _line(12, "80.64"))
    found = _differences(report, [_theirs(10, "-67.20"), _theirs(5, "30.00", "removeQuantity")])
    assert [(d.kind, d.microsoft_charge_type, d.quantity, d.friendly_name) for d in found] == [
        ("missing on our side", "removeQuantity", 5, "Desk at Microsoft"),
        ("missing at Microsoft", "addQuantity", 12, "Desk"),
    ]
    assert found[1].ours == Decimal("80.64") and found[0].ours is None
