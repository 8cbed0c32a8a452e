"""Rating: a subscription's history and prices in, the billing lines of one billing period out.

One engine serves both sides of the ledger: pass the sales prices and `SALES_ROUNDING` to bill the
customer, or Microsoft's cost prices and `MICROSOFT_COST_ROUNDING` to reproduce Microsoft's
reconciliation lines (partner-center-api.md §10.3–10.4).

Rules (§7.4, §10.1, §10.4):
- A purchase or renewal starts a term; every charge cycle of the term is charged its cycle fee on
  its first day at the quantity held that day (`new`/`renew` for the first cycle, `cycleCharge`
  after). A future-dated purchase is charged from its start day.
- A quantity change prorates from its day to the charge-cycle end: a refund line for the old
  quantity and a charge line for the new one, sharing the event's reference.
- A cancellation refunds the unused days of the current charge cycle; nothing is charged after.
- A suspended subscription keeps being charged (Microsoft bills it) but cannot change quantity.
- A price change makes the next charge cycles read the price again on the change day; otherwise a
  term's price is read on its start day (NCE locks prices for the term).
- Without a renewal the subscription expires after its term end and is charged no more.

Prices are per seat per charge cycle, as price lists hold them (see pricing.py); the price source
is asked for the term and billing cycle in force, which a renewal may change. A line belongs to
the billing period that contains its charge date (its first day).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from o365portal.domain.billing_periods import BillingPeriod
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.errors import InvalidSubscriptionHistory
from o365portal.domain.money import Money, RoundingPolicy
from o365portal.domain.proration import (
    BillingLine,
    ChargeType,
    LineKind,
    billing_days,
    cancellation_refund,
    cycle_fee,
    seat_change_lines,
)
from o365portal.domain.terms import ChargeCycle, charge_cycle_on, charge_cycles, renewal_date

PriceOn = Callable[[date, Term, BillingCycle], Money]
"""The price of one seat for one charge cycle of that term and billing cycle, on a day."""


@dataclass(frozen=True)
class Purchase:
    """The subscription was bought; its first term starts on `on` (may be in the future)."""

    on: date
    quantity: int
    term: Term
    billing_cycle: BillingCycle
    reference: str


@dataclass(frozen=True)
class QuantityChange:
    """The seat count became `quantity` on `on` (an increase or a decrease)."""

    on: date
    quantity: int
    reference: str


@dataclass(frozen=True)
class Suspension:
    """The partner suspended the subscription; Microsoft keeps billing it."""

    on: date
    reference: str


@dataclass(frozen=True)
class Reactivation:
    """A suspended subscription was made active again."""

    on: date
    reference: str


@dataclass(frozen=True)
class Cancellation:
    """The subscription was cancelled on `on`; the unused days are refunded."""

    on: date
    reference: str


@dataclass(frozen=True)
class Renewal:
    """A new term starts on `on`, with any scheduled changes already applied."""

    on: date
    quantity: int
    term: Term
    billing_cycle: BillingCycle
    reference: str


@dataclass(frozen=True)
class PriceChange:
    """The subscription's price was re-evaluated on `on`; it applies from the next cycle."""

    on: date
    reference: str


SubscriptionEvent = (
    Purchase | QuantityChange | Suspension | Reactivation | Cancellation | Renewal | PriceChange
)


@dataclass
class _Term:
    start: date
    term: Term
    billing_cycle: BillingCycle
    charge_type: ChargeType
    reference: str
    cycles: tuple[ChargeCycle, ...]
    billed: int = 0


class _Rater:
    """Replays a history event by event; private because its state is only valid mid-replay."""

    def __init__(
        self, events: Sequence[SubscriptionEvent], price_on: PriceOn, rounding: RoundingPolicy
    ):
        self.price_on = price_on
        self.rounding = rounding
        self.price_changes = [event.on for event in events if isinstance(event, PriceChange)]
        self.lines: list[BillingLine] = []
        self.current: _Term | None = None
        self.quantity = 0
        self.suspended = False
        self.cancelled = False

    def cycle_price(self, term: _Term, cycle: ChargeCycle) -> Money:
        read_on = _price_day(term.start, self.price_changes, cycle.start)
        return self.price_on(read_on, term.term, term.billing_cycle)

    def bill_cycles_through(self, day: date) -> None:
        term = self.current
        while term and not self.cancelled and term.billed < len(term.cycles):
            cycle = term.cycles[term.billed]
            if cycle.start > day:
                return
            charge_type = term.charge_type if term.billed == 0 else ChargeType.CYCLE_CHARGE
            price = self.cycle_price(term, cycle)
            self.lines.append(
                cycle_fee(self.quantity, price, cycle, charge_type, self.rounding, term.reference)
            )
            term.billed += 1

    def start_term(self, event: Purchase | Renewal, charge_type: ChargeType) -> None:
        _require_quantity(event.quantity, event)
        cycles = charge_cycles(event.on, event.term, event.billing_cycle)
        self.current = _Term(
            event.on, event.term, event.billing_cycle, charge_type, event.reference, cycles
        )
        self.quantity = event.quantity

    def active_term(self, event: SubscriptionEvent) -> _Term:
        if self.current is None:
            raise InvalidSubscriptionHistory(f"{_name(event)} before the purchase")
        if self.cancelled:
            raise InvalidSubscriptionHistory(f"{_name(event)} after the cancellation")
        if event.on > self.current.cycles[-1].end and not isinstance(event, Renewal):
            raise InvalidSubscriptionHistory(f"{_name(event)} after the term ended without renewal")
        return self.current

    def cycle_on(self, term: _Term, day: date) -> tuple[ChargeCycle, Money]:
        cycle = next(c for c in term.cycles if c.start <= day <= c.end)
        return cycle, self.cycle_price(term, cycle)

    def apply(self, event: SubscriptionEvent) -> None:
        if isinstance(event, Purchase):
            if self.current is not None:
                raise InvalidSubscriptionHistory("a subscription is purchased only once")
            self.start_term(event, ChargeType.NEW)
            return
        term = self.active_term(event)
        match event:
            case QuantityChange():
                self.change_quantity(term, event)
            case Cancellation():
                self.cancel(term, event)
            case Suspension() | Reactivation():
                self.set_suspended(event)
            case Renewal():
                self.renew(term, event)
            case _:
                pass  # a PriceChange bills nothing itself; cycle_price() reads it later

    def cancel(self, term: _Term, event: Cancellation) -> None:
        cycle, price = self.cycle_on(term, event.on)
        self.lines.append(
            cancellation_refund(
                self.quantity, price, cycle, event.on, self.rounding, event.reference
            )
        )
        self.cancelled = True

    def set_suspended(self, event: Suspension | Reactivation) -> None:
        suspending = isinstance(event, Suspension)
        if self.suspended == suspending:
            state = "suspended" if self.suspended else "active"
            raise InvalidSubscriptionHistory(f"{_name(event)} of a subscription already {state}")
        self.suspended = suspending

    def change_quantity(self, term: _Term, event: QuantityChange) -> None:
        _require_quantity(event.quantity, event)
        if self.suspended:
            raise InvalidSubscriptionHistory(
                "the quantity of a suspended subscription cannot change"
            )
        if event.quantity == self.quantity:
            raise InvalidSubscriptionHistory(f"{_name(event)} to the quantity already held")
        cycle, price = self.cycle_on(term, event.on)
        self.lines.extend(
            seat_change_lines(
                self.quantity,
                event.quantity,
                price,
                cycle,
                event.on,
                self.rounding,
                event.reference,
            )
        )
        self.quantity = event.quantity

    def renew(self, term: _Term, event: Renewal) -> None:
        expected = renewal_date(term.start, term.term)
        if event.on != expected:
            raise InvalidSubscriptionHistory(
                f"renewal on {event.on}: a term started on {term.start} renews on {expected}"
            )
        if self.suspended:
            raise InvalidSubscriptionHistory(
                "a subscription suspended at its term end does not renew"
            )
        self.start_term(event, ChargeType.RENEW)


def _price_day(term_start: date, price_changes: Sequence[date], cycle_start: date) -> date:
    """The day a cycle's price is read: the term's start, or the latest price change since."""
    if not price_changes:
        return term_start
    return max([term_start, *(d for d in price_changes if term_start <= d <= cycle_start)])


def _name(event: SubscriptionEvent) -> str:
    return f"{type(event).__name__} {event.reference!r} on {event.on}"


def _require_quantity(quantity: int, event: SubscriptionEvent) -> None:
    if quantity < 1:
        raise InvalidSubscriptionHistory(f"{_name(event)}: quantity must be at least 1")


def rate_history(
    events: Sequence[SubscriptionEvent], *, until: date, price_on: PriceOn, rounding: RoundingPolicy
) -> tuple[BillingLine, ...]:
    """Every billing line the history produces with a charge date up to `until`, in order."""
    if any(later.on < earlier.on for earlier, later in pairwise(events)):
        raise InvalidSubscriptionHistory("subscription events must be in chronological order")
    rater = _Rater(events, price_on, rounding)
    for event in events:
        if event.on > until:
            break
        rater.bill_cycles_through(event.on)
        rater.apply(event)
    rater.bill_cycles_through(until)
    return tuple(rater.lines)


def rate_period(
    events: Sequence[SubscriptionEvent],
    period: BillingPeriod,
    *,
    price_on: PriceOn,
    rounding: RoundingPolicy,
) -> tuple[BillingLine, ...]:
    """The billing lines of one billing period: those whose charge date falls in it."""
    lines = rate_history(events, until=period.end, price_on=price_on, rounding=rounding)
    return tuple(line for line in lines if period.contains(line.charge_date))


@dataclass(frozen=True)
class LineBasis:
    """What a billing line was computed from: the term it belongs to (started on `term_start`
    by the event `term_reference`), its charge cycle, the day its price was read, and the days
    billed (a whole cycle for a cycle fee)."""

    term_start: date
    term: Term
    billing_cycle: BillingCycle
    term_reference: str
    cycle: ChargeCycle
    price_read_on: date
    billing_days: int


def line_basis(events: Sequence[SubscriptionEvent], line: BillingLine) -> LineBasis:
    """The basis of a line `rate_history` produced from `events`, by the engine's own rules."""
    terms = [e for e in events if isinstance(e, Purchase | Renewal) and e.on <= line.start]
    if not terms:
        raise InvalidSubscriptionHistory(f"no purchase before the line of {line.start}")
    term = terms[-1]
    cycle = charge_cycle_on(term.on, term.term, term.billing_cycle, line.start)
    changes = [event.on for event in events if isinstance(event, PriceChange)]
    days = cycle.charge_cycle_days if line.kind is LineKind.CYCLE_FEE else None
    return LineBasis(
        term.on,
        term.term,
        term.billing_cycle,
        term.reference,
        cycle,
        _price_day(term.on, changes, cycle.start),
        days if days is not None else billing_days(cycle, line.start),
    )
