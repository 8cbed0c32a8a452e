"""The billing report a level at a time, for the page: sums over the kept ratings (`_kept`).

`report_periods` gives each billing period's headline (total, cost, margin, how many
subscriptions) in a few queries whatever the number of subscriptions; `period_page` one page
of a period's subscriptions with their totals (and, broker-wide, every organization's total);
`subscription_lines` one subscription's lines of a period, rated and explained when opened.
They add up to what `billing_report` (the export, the command, the reconciliation) gives whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from o365portal.db.engine import session_scope
from o365portal.db.tables.billing import BillingRatedLine, BillingRating
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.billing_periods import BillingPeriod, periods_between
from o365portal.services import clock
from o365portal.services.billing._kept import keep_current
from o365portal.services.billing._lines import (
    margin_percent,
    money_text,
    percent_text,
    rate_subscription,
)
from o365portal.services.billing._load import Listed, cycle_day, listed, load
from o365portal.services.billing._report import months, order_key, scope_of
from o365portal.services.billing._views import (
    BillingReport,
    BrokerBillingReport,
    BrokerOrganizationTotal,
    BrokerSubscriptionBilling,
    LineView,
    OrganizationTotal,
    SubscriptionBilling,
)
from o365portal.services.errors import NotFound
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing._store import broker_currency, number_format
from o365portal.services.principal import Principal

SUBSCRIPTIONS_PER_PAGE = 50


@dataclass(frozen=True)
class PeriodSummary:
    """A billing period's headline (its report without subscriptions and organization totals)
    and how many subscriptions it lists."""

    report: BillingReport
    subscriptions: int


@dataclass(frozen=True)
class PeriodPage:
    """One page of a period's subscriptions (without their lines), and, broker-wide, every
    organization's total of the period."""

    subscriptions: tuple[SubscriptionBilling, ...]
    page: int
    pages: int
    organizations: tuple[OrganizationTotal, ...]


@dataclass(frozen=True)
class _Sum:
    """Summed lines: the amount, the cost, whether every line has a cost, how many lines."""

    amount: Decimal
    cost: Decimal
    costed: bool
    lines: int

    def plus(self, other: _Sum) -> _Sum:
        return _Sum(
            self.amount + other.amount,
            self.cost + other.cost,
            self.costed and other.costed,
            self.lines + other.lines,
        )


_NONE = _Sum(Decimal(0), Decimal(0), True, 0)


@dataclass(frozen=True)
class _Words:
    """Writes amounts and cost columns in the broker's number format and currency."""

    currency: str
    nf: NumberFormat

    def text(self, amount: Decimal | None) -> str:
        return money_text(amount, self.currency, self.nf)

    def costs(self, total: _Sum) -> dict[str, Any]:
        cost = total.cost if total.costed else None
        margin = total.amount - cost if cost is not None else None
        percent = margin_percent(total.amount, cost, self.currency)
        return {
            "cost": cost,
            "margin": margin,
            "margin_percent": percent,
            "cost_text": self.text(cost),
            "margin_text": self.text(margin),
            "margin_percent_text": percent_text(percent, self.nf),
        }


def _words(session: Session) -> _Words:
    return _Words(broker_currency(session), number_format(session))


def _until(periods: Sequence[BillingPeriod]) -> date:
    return min(periods[-1].end, clock.today())


def _summed(
    session: Session,
    scope: int | None,
    periods: Sequence[BillingPeriod],
    until: date,
    *,
    by_subscription: bool,
) -> list[tuple[int, int, _Sum]]:
    """The kept lines charged up to `until`, summed by period index and subscription id (or,
    not `by_subscription`, by period index with how many subscriptions in place of the id)."""
    index = case(
        *(
            (col(BillingRatedLine.charge_date).between(p.start, p.end), number)
            for number, p in enumerate(periods)
        ),
        else_=-1,
    )
    subscription = col(BillingRatedLine.subscription_id)
    query = (
        select_columns(
            index,
            subscription if by_subscription else func.count(subscription.distinct()),
            func.sum(col(BillingRatedLine.amount)),
            func.sum(col(BillingRatedLine.cost)),
            func.count(),
            func.count(col(BillingRatedLine.cost)),
        )
        .join(Subscription, col(Subscription.id) == subscription)
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .where(col(Subscription.pc_subscription_id).is_not(None))
        .where(col(BillingRatedLine.charge_date).between(periods[0].start, until))
        .group_by(index, *([subscription] if by_subscription else []))
    )
    if scope is not None:
        query = query.where(col(Tenant.organization_id) == scope)
    return [
        (period, key, _Sum(Decimal(amount), Decimal(cost or 0), costed == lines, lines))
        for period, key, amount, cost, lines, costed in session.execute(query).all()
        if period >= 0
    ]


def _problems(
    session: Session, scope: int | None, periods: Sequence[BillingPeriod], until: date
) -> dict[tuple[int, int], str]:
    """Subscriptions that could not be rated, by (period index, id) for each period from their
    start up to `until`, with why."""
    query = (
        select_columns(
            col(BillingRating.subscription_id),
            col(BillingRating.problem),
            col(Subscription.started_at),
        )
        .join(Subscription, col(Subscription.id) == col(BillingRating.subscription_id))
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .where(col(Subscription.pc_subscription_id).is_not(None))
        .where(col(BillingRating.problem) != "")
    )
    if scope is not None:
        query = query.where(col(Tenant.organization_id) == scope)
    found: dict[tuple[int, int], str] = {}
    for subscription, problem, started_at in session.execute(query).all():
        for number, period in enumerate(periods):
            if started_at.date() <= period.end and period.start <= until:
                found[(number, subscription)] = problem
    return found


def _rated(
    session: Session, actor: Principal, first_month: str | date, last_month: str | date,
    organization_id: int | None,
) -> tuple[int | None, Sequence[BillingPeriod], date]:  # fmt: skip
    first, last = months(first_month, last_month)
    scope = scope_of(session, actor, organization_id)
    periods = periods_between(first, last, cycle_day(session))
    until = _until(periods)
    if periods[0].start <= until:
        keep_current(session, scope, until)
    return scope, periods, until


def report_periods(
    *,
    actor: Principal,
    first_month: str | date,
    last_month: str | date,
    organization_id: int | None = None,
) -> list[PeriodSummary]:
    """Each billing period's headline from `first_month` to `last_month` (`YYYY-MM`), as
    `billing_report` would total it; brokers get `BrokerBillingReport` headlines."""
    with session_scope() as session:
        scope, periods, until = _rated(session, actor, first_month, last_month, organization_id)
        sums = _summed(session, scope, periods, until, by_subscription=False)
        problems = _problems(session, scope, periods, until)
        words = _words(session)
    totals = [_NONE] * len(periods)
    counts = [0] * len(periods)
    for number, subscriptions, total in sums:
        totals[number], counts[number] = total, subscriptions
    for number, _ in problems:  # these have no lines: counted apart
        counts[number] += 1
    return [
        PeriodSummary(_headline(period, scope, totals[n], words, actor.is_broker), counts[n])
        for n, period in enumerate(periods)
    ]


def _headline(
    period: BillingPeriod, scope: int | None, total: _Sum, words: _Words, broker: bool
) -> BillingReport:
    view = BillingReport(
        month=f"{period.end:%Y-%m}",
        billing_date=period.report_date,
        period_start=period.start,
        period_end=period.end,
        organization_id=scope,
        currency=words.currency,
        total=total.amount,
        total_text=words.text(total.amount),
        subscriptions=(),
        organizations=(),
    )
    if not broker:
        return view
    return BrokerBillingReport(**vars(view), **words.costs(total), reconciliation=None)


def period_page(
    *,
    actor: Principal,
    month: str | date,
    organization_id: int | None = None,
    page: int = 0,
    per_page: int = SUBSCRIPTIONS_PER_PAGE,
) -> PeriodPage:
    """Page `page` (from 0; past the end: the last) of the subscriptions billed in the period
    ending in `month`, in the report's order, with their totals but not their lines."""
    with session_scope() as session:
        scope, periods, until = _rated(session, actor, month, month, organization_id)
        summed = _summed(session, scope, periods, until, by_subscription=True)
        sums = {subscription: total for _, subscription, total in summed}
        problems = {sub: why for (_, sub), why in _problems(session, scope, periods, until).items()}
        found = listed(session, scope, until)
        words = _words(session)
    rows = sorted(
        (row for row in found.rows if (row[0].id or 0) in sums or (row[0].id or 0) in problems),
        key=lambda row: order_key(row[0], row[1], row[2], found.parents),
    )
    pages = max(1, -(-len(rows) // per_page))
    page = max(0, min(page, pages - 1))
    shown = rows[page * per_page : (page + 1) * per_page]
    views = tuple(
        _subscription(row, found, sums.get(row[0].id or 0, _NONE), problems, words, actor)
        for row in shown
    )
    organizations = _organizations(rows, sums, words) if scope is None and actor.is_broker else ()
    return PeriodPage(views, page, pages, organizations)


def _subscription(
    row: tuple[Any, int, str], found: Listed, total: _Sum, problems: dict[int, str],
    words: _Words, actor: Principal,
) -> SubscriptionBilling:  # fmt: skip
    facts, organization_id, organization_name = row
    parent = found.parents.get(facts.id or 0)
    product = found.products.get((facts.product_id, facts.sku_id))
    view = SubscriptionBilling(
        subscription_id=facts.id or 0,
        partner_center_subscription_id=facts.pc_subscription_id or "",
        friendly_name=facts.friendly_name,
        product=product.title if product else "",
        offer_id=f"{facts.product_id}:{facts.sku_id}:{facts.availability_id}",
        po_number=facts.po_number or "",
        organization_id=organization_id,
        organization_name=organization_name,
        parent_subscription_id=(parent.id or 0) if parent else 0,
        parent_name=parent.friendly_name if parent else "",
        total=total.amount,
        total_text=words.text(total.amount),
        lines=(),
        problem=problems.get(facts.id or 0, ""),
    )
    if not actor.is_broker:
        return view
    return BrokerSubscriptionBilling(**vars(view), **words.costs(total))


def _organizations(
    rows: Sequence[tuple[Any, int, str]], sums: dict[int, _Sum], words: _Words
) -> tuple[OrganizationTotal, ...]:
    totals: dict[tuple[str, int], _Sum] = {}
    for facts, organization_id, name in rows:
        key = (name, organization_id)
        totals[key] = totals.get(key, _NONE).plus(sums.get(facts.id or 0, _NONE))
    return tuple(
        BrokerOrganizationTotal(
            organization_id=organization_id,
            organization_name=name,
            total=total.amount,
            total_text=words.text(total.amount),
            **words.costs(total),
        )
        for (name, organization_id), total in totals.items()
    )


def subscription_lines(
    *,
    actor: Principal,
    month: str | date,
    subscription_id: int,
    organization_id: int | None = None,
) -> tuple[LineView, ...]:
    """The lines of one subscription in the period ending in `month`, rated and explained
    (brokers' with cost); NotFound for a subscription outside what the actor may see."""
    with session_scope() as session:
        first, last = months(month, month)
        scope = scope_of(session, actor, organization_id)
        periods = periods_between(first, last, cycle_day(session))
        until = _until(periods)
        loaded = load(session, scope, until, only={subscription_id})
    if not loaded.subscriptions:
        raise NotFound("subscription")
    rated = rate_subscription(
        loaded.subscriptions[0], loaded, periods, until, broker=actor.is_broker
    )
    return tuple(rated.lines.get(0, ()))
