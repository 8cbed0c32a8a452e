"""One subscription's billing lines over the report's periods, rated by `domain.rating`.

The recorded history is rated twice with the same engine: with the sales prices in force on
each charge day (`SALES_ROUNDING`) for the customer's lines, and — for brokers — with
Microsoft's costs (`MICROSOFT_COST_ROUNDING`) for the cost of the same lines, which pair up
one to one. Lines are charged on their first day and belong to the period containing it; only
charges up to today are billed. A subscription that cannot be rated (no price in force, a
history the rules refuse, a price in another currency) gets no lines and a `problem` in words.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from o365portal.domain import pricing as rules
from o365portal.domain.billing_periods import BillingPeriod
from o365portal.domain.errors import DomainError
from o365portal.domain.money import MICROSOFT_COST_ROUNDING, SALES_ROUNDING, Money
from o365portal.domain.proration import BillingLine, ChargeType
from o365portal.domain.rating import LineBasis, line_basis, rate_history
from o365portal.services.billing import _why as why
from o365portal.services.billing._load import Billed, Loaded
from o365portal.services.billing._views import BrokerLineView, LineView
from o365portal.services.errors import NotForSale
from o365portal.services.number_format import NumberFormat

LINE_TYPES = {
    ChargeType.NEW: "New purchase",
    ChargeType.CYCLE_CHARGE: "Cycle fee",
    ChargeType.ADD_QUANTITY: "Pro-rata for added seats",
    ChargeType.REMOVE_QUANTITY: "Refund for removed seats",
    ChargeType.CANCEL_IMMEDIATE: "Cancellation refund",
    ChargeType.RENEW: "Renewal",
}
NO_VALUE = "—"


@dataclass(frozen=True)
class Rated:
    """A subscription's lines by period index (only periods with lines), or why there are none."""

    lines: dict[int, list[LineView]]
    problem: str


def money_text(amount: Decimal | None, currency: str, nf: NumberFormat) -> str:
    """`1,234.50 USD`; "—" for no amount."""
    return NO_VALUE if amount is None else f"{nf.format(amount)} {currency}"


def percent_text(value: Decimal | None, nf: NumberFormat) -> str:
    """`19.36 %`; "—" when undefined."""
    return NO_VALUE if value is None else f"{nf.format(value)} %"


def margin_percent(amount: Decimal, cost: Decimal | None, currency: str) -> Decimal | None:
    """(amount − cost) / amount in %; None without a cost or an amount."""
    if cost is None:
        return None
    return rules.margin_percent(Money(amount, currency), Money(cost, currency))


def _rate(billed: Billed, loaded: Loaded, until: date, *, cost: bool) -> tuple[BillingLine, ...]:
    book = loaded.book
    price_on = (
        book.cost_on(billed.item, loaded.currency)
        if cost
        else book.sales_on(billed.organization_id, billed.id, billed.item)
    )
    rounding = MICROSOFT_COST_ROUNDING if cost else SALES_ROUNDING
    return rate_history(billed.events, until=until, price_on=price_on, rounding=rounding)


def _seat_changes(lines: Sequence[BillingLine]) -> dict[str, tuple[int, int]]:
    pairs: dict[str, tuple[int, int]] = {}
    for line in lines:
        if line.charge_type in (ChargeType.ADD_QUANTITY, ChargeType.REMOVE_QUANTITY):
            old, new = pairs.get(line.reference, (0, 0))
            refund = line.amount.amount < 0
            pairs[line.reference] = (line.quantity, new) if refund else (old, line.quantity)
    return pairs


class _Explainer:
    """Writes each line's view of one subscription (caching the words its lines share)."""

    def __init__(self, billed: Billed, loaded: Loaded, lines: Sequence[BillingLine]) -> None:
        self.billed, self.loaded, self.nf = billed, loaded, loaded.number_format
        self.seat_changes = _seat_changes(lines)
        self.prices: dict[tuple[object, ...], str] = {}

    def price_words(self, basis: LineBasis) -> str:
        key = (basis.term, basis.billing_cycle, basis.price_read_on)
        if key not in self.prices:
            book, billed = self.loaded.book, self.billed
            item = book.item_for(billed.item, basis.term, basis.billing_cycle)
            quote = book.sales_quote(billed.organization_id, billed.id, item, basis.price_read_on)
            self.prices[key] = why.price_words(quote, basis, self.nf)
        return self.prices[key]

    def view(self, line: BillingLine, cost: BillingLine | None, *, broker: bool) -> LineView:
        basis = line_basis(self.billed.events, line)
        change = self.loaded.changes.get(_history_id(line.reference))
        words = (
            f"{why.event_words(line, basis, change, self.seat_changes.get(line.reference))} "
            f"{why.formula_words(line, basis, line.unit_price, line.amount, self.nf)} "
            f"{self.price_words(basis)}"
        )
        currency, nf = line.amount.currency, self.nf
        sales: dict[str, Any] = {
            "type": LINE_TYPES[line.charge_type],
            "microsoft_charge_type": line.charge_type.value,
            "charge_start": line.start,
            "charge_end": line.end,
            "quantity": line.quantity,
            "unit_price": line.unit_price.amount,
            "effective_unit_price": line.effective_unit_price,
            "amount": line.amount.amount,
            "period_text": f"{line.start} – {line.end}",
            "unit_price_text": money_text(line.unit_price.amount, currency, nf),
            "amount_text": money_text(line.amount.amount, currency, nf),
            "why": words,
            "reference": line.reference,
        }
        if not broker:
            return LineView(**sales)
        if cost is None:
            return BrokerLineView(**sales, **_NO_COST)
        amount = cost.amount.amount
        margin = line.amount.amount - amount
        percent = margin_percent(line.amount.amount, amount, currency)
        return BrokerLineView(
            **sales,
            unit_cost=cost.unit_price.amount,
            cost=amount,
            margin=margin,
            margin_percent=percent,
            unit_cost_text=money_text(cost.unit_price.amount, currency, nf),
            cost_text=money_text(amount, currency, nf),
            margin_text=money_text(margin, currency, nf),
            margin_percent_text=percent_text(percent, nf),
            cost_why=why.cost_words(cost, basis, nf),
        )


_NO_COST: dict[str, Any] = {
    "unit_cost": None, "cost": None, "margin": None, "margin_percent": None,
    "unit_cost_text": NO_VALUE, "cost_text": NO_VALUE, "margin_text": NO_VALUE,
    "margin_percent_text": NO_VALUE, "cost_why": "Microsoft's cost is not recorded.",
}  # fmt: skip


def _history_id(reference: str) -> int:
    kind, _, number = reference.partition(":")
    return int(number) if kind == "history" and number.isdigit() else 0


@dataclass(frozen=True)
class Amounts:
    """A subscription's rated lines in order: sales, and Microsoft's cost of each (None when
    no cost is recorded or not asked), or why it cannot be rated (`problem`, lines empty)."""

    sales: tuple[BillingLine, ...]
    costs: tuple[BillingLine | None, ...]
    problem: str


def rate_amounts(billed: Billed, loaded: Loaded, until: date, *, cost: bool) -> Amounts:
    """The subscription's lines charged up to `until`, with their costs when `cost`."""
    try:
        sales = _rate(billed, loaded, until, cost=False)
    except (NotForSale, DomainError) as error:
        return Amounts((), (), str(error))
    foreign = {line.amount.currency for line in sales} - {loaded.currency}
    if foreign:
        problem = f"Priced in {', '.join(sorted(foreign))}; the report is in {loaded.currency}."
        return Amounts((), (), problem)
    costs: tuple[BillingLine | None, ...] = (None,) * len(sales)
    if cost:
        with suppress(NotForSale, DomainError):  # no cost recorded: the lines have none
            costs = _rate(billed, loaded, until, cost=True)
    return Amounts(sales, costs, "")


def rate_subscription(
    billed: Billed,
    loaded: Loaded,
    periods: Sequence[BillingPeriod],
    until: date,
    *,
    broker: bool,
) -> Rated:
    """The subscription's lines in `periods` (charged up to `until`), by period index."""
    amounts = rate_amounts(billed, loaded, until, cost=broker)
    if amounts.problem:
        return Rated({}, amounts.problem)
    starts = [period.start for period in periods]
    explainer = _Explainer(billed, loaded, amounts.sales)
    found: dict[int, list[LineView]] = {}
    for line, cost in zip(amounts.sales, amounts.costs, strict=True):
        index = bisect_right(starts, line.start) - 1
        if index >= 0 and periods[index].contains(line.start):
            found.setdefault(index, []).append(explainer.view(line, cost, broker=broker))
    return Rated(found, "")
