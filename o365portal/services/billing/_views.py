"""The billing report as the screens, the export and the operations command read it.

Three levels: a report per billing period (`BillingReport`), its subscriptions
(`SubscriptionBilling`), their lines (`LineView`). Raw amounts are `Decimal` in the report's
currency (for export and JSON); the `*_text` fields are the same amounts written in the broker's
number format with the currency (for screens). A customer's report holds these types only;
a broker's holds the `Broker*` subclasses, which add Microsoft's cost, the margin and the
reconciliation. No customer type has a cost field at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class CostColumns:
    """Microsoft's cost of an amount and the margin on it, for broker staff only (None: a cost
    is not recorded); the texts are "—" then."""

    cost: Decimal | None
    margin: Decimal | None
    margin_percent: Decimal | None
    cost_text: str
    margin_text: str
    margin_percent_text: str


@dataclass(frozen=True)
class LineView:
    """One charge or credit, with the words that say why it is there."""

    type: str  # for people: "Cycle fee", "New purchase", "Pro-rata for added seats", ...
    microsoft_charge_type: str  # as Microsoft's reconciliation names it: "cycleCharge", ...
    charge_start: date
    charge_end: date
    quantity: int
    unit_price: Decimal  # sales price of one seat for the whole charge cycle
    effective_unit_price: Decimal  # per seat for the days charged; negative on refunds
    amount: Decimal  # quantity x effective unit price, rounded once; negative on refunds
    period_text: str  # "2026-03-10 – 2026-04-09"
    unit_price_text: str  # "12.50 USD"
    amount_text: str  # "-116.67 USD"
    why: str  # the event, seat lot, price and formula that produced the line
    reference: str  # the event behind it: "history:12"


@dataclass(frozen=True)
class BrokerLineView(LineView, CostColumns):
    """A line as broker staff see it: Microsoft's cost of it and the margin (None: no cost
    is recorded for the item on that day); margin_percent_text is "19.36 %" or "—"."""

    unit_cost: Decimal | None
    unit_cost_text: str  # "10.08 USD", or "—"
    cost_why: str  # Microsoft's formula: "10 seats x 10.08 USD x 28/30 days, truncated ..."


@dataclass(frozen=True)
class SubscriptionBilling:
    """One subscription's lines in one billing period."""

    subscription_id: int  # the portal's
    partner_center_subscription_id: str
    friendly_name: str
    product: str  # "Microsoft 365 Business Basic"; "" when the catalog cache lacks it
    offer_id: str  # "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
    po_number: str
    organization_id: int
    organization_name: str
    parent_subscription_id: int  # the subscription an add-on belongs under; 0 for none
    parent_name: str  # its friendly name; ""
    total: Decimal
    total_text: str
    lines: tuple[LineView, ...]
    problem: str  # why it could not be rated ("" when it could); its lines are then empty


@dataclass(frozen=True)
class BrokerSubscriptionBilling(SubscriptionBilling, CostColumns):
    """A subscription's lines with their cost and margin summed (None when a line has no
    recorded cost)."""


@dataclass(frozen=True)
class OrganizationTotal:
    """What one organization is billed in the period (the broker-wide report's subtotals)."""

    organization_id: int
    organization_name: str
    total: Decimal
    total_text: str


@dataclass(frozen=True)
class BrokerOrganizationTotal(OrganizationTotal, CostColumns):
    """An organization's total with its cost and margin."""


@dataclass(frozen=True)
class Difference:
    """One line where the portal's cost and Microsoft's reconciliation line disagree."""

    kind: str  # "missing at Microsoft" | "missing on our side" | "amount differs"
    partner_center_subscription_id: str
    friendly_name: str  # the portal's name, else Microsoft's subscription description
    microsoft_charge_type: str
    charge_start: date
    charge_end: date
    quantity: int
    ours: Decimal | None  # the portal's cost of the line; None when it has none
    microsofts: Decimal | None  # Microsoft's subtotal; None when Microsoft has no such line
    text: str  # the difference in one sentence


@dataclass(frozen=True)
class Reconciliation:
    """The period's cost side checked against Microsoft's reconciliation line items."""

    matches: bool
    status: str  # "matches Microsoft" | "3 differences with Microsoft"
    sources: tuple[str, ...]  # what was read: "invoice G000000001", "unbilled, current period"
    differences: tuple[Difference, ...]
    lines_checked: int  # Microsoft's lines of the period compared
    # Subscriptions Microsoft bills in another currency than the portal's costs, not compared:
    # "Office staff: Microsoft bills it in GBP, the portal's costs are in USD."
    not_compared: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillingReport:
    """One billing period's report: dated the day after the period ends."""

    month: str  # the month the period ends in: "2026-03"
    billing_date: date
    period_start: date
    period_end: date
    organization_id: int | None  # None: the broker-wide report
    currency: str
    total: Decimal
    total_text: str
    subscriptions: tuple[SubscriptionBilling, ...]  # by organization, name; add-ons after base
    organizations: tuple[OrganizationTotal, ...]  # by name


@dataclass(frozen=True)
class BrokerBillingReport(BillingReport, CostColumns):
    """The report as broker staff see it, with cost, margin and (once asked) reconciliation."""

    reconciliation: Reconciliation | None  # None until `reconcile` checked it


@dataclass(frozen=True)
class MonthlyTotal:
    """One bar group of the monthly totals chart (brokers only)."""

    month: str
    billing_date: date
    revenue: Decimal
    cost: Decimal | None
    margin: Decimal | None
