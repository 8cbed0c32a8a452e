"""The billing report: one report per billing period of the broker's Microsoft billing cycle.

A period is named by the month it ends in (`domain.billing_periods`): with the cycle ending on
the 15th, "2026-03" covers 2026-02-16 – 2026-03-15 and its report is dated 2026-03-16. Each
report lists the subscriptions charged in it (add-ons, which are subscriptions of their own,
right after the subscription they belong under), their lines and totals, and the total per
organization. Customers get their own organization's report with sales amounts only; brokers
get one organization's or every organization's (`organization_id=None`), with Microsoft's cost
and the margin on every line and total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.billing_periods import BillingPeriod, periods_between
from o365portal.services import clock
from o365portal.services.billing._lines import (
    margin_percent,
    money_text,
    percent_text,
    rate_subscription,
)
from o365portal.services.billing._load import (
    Billed,
    Loaded,
    SubscriptionFacts,
    cycle_day,
    load,
)
from o365portal.services.billing._views import (
    BillingReport,
    BrokerBillingReport,
    BrokerLineView,
    BrokerOrganizationTotal,
    BrokerSubscriptionBilling,
    CostColumns,
    LineView,
    MonthlyTotal,
    OrganizationTotal,
    SubscriptionBilling,
)
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound
from o365portal.services.principal import Principal

MAX_MONTHS = 36


def parse_month(value: str | date, field_name: str) -> date:
    """The first day of a `YYYY-MM` month (or of a date's month); InvalidInput otherwise."""
    if isinstance(value, date):
        return value.replace(day=1)
    text = value.strip()
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(text)
        return date(int(year), int(month), 1)
    except ValueError:
        raise InvalidInput({field_name: f"Enter a month as YYYY-MM, not {text!r}."}) from None


def months(first_month: str | date, last_month: str | date) -> tuple[date, date]:
    first, last = parse_month(first_month, "first_month"), parse_month(last_month, "last_month")
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < 1:
        raise InvalidInput({"last_month": "The last month must not be before the first month."})
    if count > MAX_MONTHS:
        raise InvalidInput({"last_month": f"Choose at most {MAX_MONTHS} months at once."})
    return first, last


def scope_of(session: Session, actor: Principal, organization_id: int | None) -> int | None:
    if not actor.is_broker:
        if actor.organization_id is None:
            raise NotAllowed()
        organization_id = organization_id or actor.organization_id
    if organization_id is None:
        return None
    if not actor.may_see_organization(organization_id) or not session.get(
        Organization, organization_id
    ):
        raise NotFound("organization")
    return organization_id


def billing_report(
    *,
    actor: Principal,
    first_month: str | date,
    last_month: str | date,
    organization_id: int | None = None,
) -> list[BillingReport]:
    """One report per billing period ending in `first_month` .. `last_month` (`YYYY-MM`).

    Brokers may leave out `organization_id` for the broker-wide report and get
    `BrokerBillingReport`s; a customer gets its own organization's `BillingReport`s, never
    another's (NotFound). Charges are billed up to today. InvalidInput for a bad month or range.
    """
    first, last = months(first_month, last_month)
    with session_scope() as session:
        scope = scope_of(session, actor, organization_id)
        periods = periods_between(first, last, cycle_day(session))
        until = min(periods[-1].end, clock.today())
        loaded = load(session, scope, until)
        return _Assembly(loaded, periods, until, scope, broker=actor.is_broker).reports()


def order_key(
    row: SubscriptionFacts,
    organization_id: int,
    organization_name: str,
    parents: dict[int, SubscriptionFacts],
) -> tuple[object, ...]:
    """Where a subscription goes in a report: by organization, then name, each add-on right
    after the subscription it belongs under."""
    parent = parents.get(row.id or 0)
    base = parent if parent is not None else row
    own = row.friendly_name.casefold() if parent is not None else ""
    organization = (organization_name.casefold(), organization_id)
    return (*organization, base.friendly_name.casefold(), base.id or 0, parent is not None, own)


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    return (
        None
        if any(v is None for v in values)
        else sum((v or Decimal(0) for v in values), Decimal(0))
    )


@dataclass
class _Assembly:
    """Builds the reports of the periods from the rated subscriptions."""

    loaded: Loaded
    periods: Sequence[BillingPeriod]
    until: date
    scope: int | None
    broker: bool
    rows: list[list[SubscriptionBilling]] = field(default_factory=list)

    def reports(self) -> list[BillingReport]:
        self.rows = [[] for _ in self.periods]
        ordered = sorted(
            self.loaded.subscriptions,
            key=lambda b: order_key(
                b.row, b.organization_id, b.organization_name, self.loaded.parents
            ),
        )
        for billed in ordered:
            rated = rate_subscription(
                billed, self.loaded, self.periods, self.until, broker=self.broker
            )
            for index, lines in sorted(rated.lines.items()):
                self.rows[index].append(self.subscription(billed, tuple(lines), ""))
            if rated.problem:
                started = billed.row.started_at.date()
                for index, period in enumerate(self.periods):
                    if started <= period.end and period.start <= self.until:
                        self.rows[index].append(self.subscription(billed, (), rated.problem))
        return [
            self.report(period, tuple(rows))
            for period, rows in zip(self.periods, self.rows, strict=True)
        ]

    def text(self, amount: Decimal | None) -> str:
        return money_text(amount, self.loaded.currency, self.loaded.number_format)

    def costs(self, amount: Decimal, costs: Sequence[Decimal | None]) -> dict[str, Any]:
        cost = _sum(costs)
        margin = amount - cost if cost is not None else None
        percent = margin_percent(amount, cost, self.loaded.currency)
        return {
            "cost": cost,
            "margin": margin,
            "margin_percent": percent,
            "cost_text": self.text(cost),
            "margin_text": self.text(margin),
            "margin_percent_text": percent_text(percent, self.loaded.number_format),
        }

    def subscription(
        self, billed: Billed, lines: tuple[LineView, ...], problem: str
    ) -> SubscriptionBilling:
        row, parent = billed.row, self.loaded.parents.get(billed.id)
        product = self.loaded.products.get((row.product_id, row.sku_id))
        total = sum((line.amount for line in lines), Decimal(0))
        view = SubscriptionBilling(
            subscription_id=billed.id,
            partner_center_subscription_id=row.pc_subscription_id or "",
            friendly_name=row.friendly_name,
            product=product.title if product else "",
            offer_id=billed.item.catalog_item_id,
            po_number=row.po_number or "",
            organization_id=billed.organization_id,
            organization_name=billed.organization_name,
            parent_subscription_id=(parent.id or 0) if parent else 0,
            parent_name=parent.friendly_name if parent else "",
            total=total,
            total_text=self.text(total),
            lines=lines,
            problem=problem,
        )
        if not self.broker:
            return view
        costs = [line.cost for line in lines if isinstance(line, BrokerLineView)]
        return BrokerSubscriptionBilling(**vars(view), **self.costs(total, costs))

    def organizations(self, rows: Sequence[SubscriptionBilling]) -> tuple[OrganizationTotal, ...]:
        groups: dict[int, list[SubscriptionBilling]] = {}
        for row in rows:
            groups.setdefault(row.organization_id, []).append(row)
        found: list[OrganizationTotal] = []
        for organization_id, group in groups.items():
            total = sum((row.total for row in group), Decimal(0))
            view = OrganizationTotal(
                organization_id, group[0].organization_name, total, self.text(total)
            )
            found.append(
                view
                if not self.broker
                else BrokerOrganizationTotal(
                    **vars(view),
                    **self.costs(total, [_cost(row) for row in group]),
                )
            )
        return tuple(found)

    def report(self, period: BillingPeriod, rows: tuple[SubscriptionBilling, ...]) -> BillingReport:
        total = sum((row.total for row in rows), Decimal(0))
        view = BillingReport(
            month=f"{period.end:%Y-%m}",
            billing_date=period.report_date,
            period_start=period.start,
            period_end=period.end,
            organization_id=self.scope,
            currency=self.loaded.currency,
            total=total,
            total_text=self.text(total),
            subscriptions=rows,
            organizations=self.organizations(rows),
        )
        if not self.broker:
            return view
        costs = [_cost(row) for row in rows]
        return BrokerBillingReport(**vars(view), **self.costs(total, costs), reconciliation=None)


def _cost(row: SubscriptionBilling) -> Decimal | None:
    return row.cost if isinstance(row, CostColumns) else None


def monthly_totals(reports: Sequence[BillingReport]) -> list[MonthlyTotal]:
    """Revenue, cost and margin per month for the broker's chart (brokers' reports only)."""
    totals = []
    for report in reports:
        if not isinstance(report, BrokerBillingReport):
            raise NotAllowed()
        totals.append(
            MonthlyTotal(
                report.month, report.billing_date, report.total, report.cost, report.margin
            )
        )
    return totals


def tenant_organization(*, actor: Principal, customer_id: str) -> int:
    """The organization whose Microsoft 365 tenant is the Partner Center customer
    `customer_id`; NotFound when none the actor may see."""
    with session_scope() as session:
        found = session.exec(
            select(Tenant.organization_id).where(
                func.lower(col(Tenant.customer_id)) == customer_id.strip().lower()
            )
        ).first()
    if found is None or not actor.may_see_organization(found):
        raise NotFound("tenant")
    return found
