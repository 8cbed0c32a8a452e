"""What the billing page shows of the service's report, as small rows of words.

The page holds the reports themselves in a backend var and shows only what is open: the
periods, one period's page of subscriptions, one subscription's lines. Every level has a row
without cost (`PeriodRow`, `SubscriptionRow`, `LineRow`, the customer's whole view) and, for
broker staff only, a parallel list of cost rows (`Costs`, `LineCosts`, `Check`): a customer's
state never holds a cost field, not even an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass

from o365portal.services import billing

SUBSCRIPTIONS_PER_PAGE = 50


@dataclass(frozen=True)
class PeriodRow:
    """One report: its billing date, period and total."""

    month: str
    billing_date: str
    period: str
    total: str
    subscriptions: int


@dataclass(frozen=True)
class Costs:
    """Microsoft's cost of an amount and the margin on it (broker staff only)."""

    cost: str
    margin: str
    margin_percent: str


@dataclass(frozen=True)
class Check:
    """A report's reconciliation with Microsoft ("" status: not checked yet)."""

    status: str = ""
    matches: bool = False
    sources: str = ""
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganizationRow:
    """One organization's total in the broker-wide report, with cost and margin."""

    name: str
    total: str
    cost: str
    margin: str
    margin_percent: str


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription of the open period (`index`: its place in the report)."""

    index: int
    friendly_name: str
    product: str
    offer_id: str
    po_number: str
    total: str
    organization: str  # the organization's name on its first subscription (broker-wide), else ""
    add_on_of: str  # the base subscription's name of an add-on, else ""
    problem: str
    lines: int


@dataclass(frozen=True)
class LineRow:
    """A line of the open subscription, with why it is there."""

    type: str
    charge_type: str
    period: str
    quantity: int
    unit_price: str
    amount: str
    why: str


@dataclass(frozen=True)
class LineCosts(Costs):
    """A line's cost side (broker staff only): Microsoft's unit cost and formula."""

    unit_cost: str
    cost_why: str


def period_row(report: billing.BillingReport) -> PeriodRow:
    """The report's headline."""
    period = f"{report.period_start.isoformat()} – {report.period_end.isoformat()}"
    return PeriodRow(
        report.month,
        report.billing_date.isoformat(),
        period,
        report.total_text,
        len(report.subscriptions),
    )


def costs(view: billing.CostColumns) -> Costs:
    """The cost columns of a broker's report, subscription or organization total."""
    return Costs(view.cost_text, view.margin_text, view.margin_percent_text)


def check(report: billing.BrokerBillingReport) -> Check:
    """The report's reconciliation as shown."""
    done = report.reconciliation
    if done is None:
        return Check()
    differences = tuple(d.text for d in done.differences)
    return Check(done.status, done.matches, ", ".join(done.sources), differences)


def organization_rows(report: billing.BillingReport) -> list[OrganizationRow]:
    """Per-organization totals of a broker's broker-wide report."""
    return [
        OrganizationRow(o.organization_name, o.total_text, *vars(costs(o)).values())
        for o in report.organizations
        if isinstance(o, billing.BrokerOrganizationTotal)
    ]


def subscription_rows(
    report: billing.BillingReport, page: int, broker_wide: bool
) -> list[SubscriptionRow]:
    """One page of the report's subscriptions; broker-wide, each organization's first names it."""
    start = page * SUBSCRIPTIONS_PER_PAGE
    shown = report.subscriptions[start : start + SUBSCRIPTIONS_PER_PAGE]
    rows, previous = [], None if start == 0 else report.subscriptions[start - 1].organization_id
    for index, sub in enumerate(shown, start):
        first = broker_wide and sub.organization_id != previous
        rows.append(
            SubscriptionRow(
                index,
                sub.friendly_name,
                sub.product,
                sub.offer_id,
                sub.po_number,
                sub.total_text,
                sub.organization_name if first else "",
                sub.parent_name if sub.parent_subscription_id else "",
                sub.problem,
                len(sub.lines),
            )
        )
        previous = sub.organization_id
    return rows


def line_row(line: billing.LineView) -> LineRow:
    """A line as every account sees it."""
    return LineRow(
        line.type,
        line.microsoft_charge_type,
        line.period_text,
        line.quantity,
        line.unit_price_text,
        line.amount_text,
        line.why,
    )


def line_costs(line: billing.LineView) -> LineCosts:
    """A broker's line's cost side ("—" where no cost is recorded)."""
    if not isinstance(line, billing.BrokerLineView):
        raise TypeError("only a broker's line has a cost side")
    return LineCosts(
        line.cost_text,
        line.margin_text,
        line.margin_percent_text,
        line.unit_cost_text,
        line.cost_why,
    )


def chart(reports: list[billing.BillingReport]) -> list[dict[str, str | float]]:
    """The monthly totals chart's bars: revenue, cost and margin per month (broker staff)."""
    return [
        {
            "month": t.month,
            "Revenue": float(t.revenue),
            "Cost": float(t.cost or 0),
            "Margin": float(t.margin or 0),
        }
        for t in billing.monthly_totals(reports)
    ]
