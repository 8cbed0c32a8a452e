"""NCE commitments: seat lots, their 168-hour windows, cancellation, renewal (§7.4).

Every purchase, renewal and mid-term addition creates a seat lot with its own window: its seats
can be removed until 168 hours after it was added, never later (Partner Center error 800090).
Reductions take seats from the newest open lots first, which is how Partner Center's
`refundableQuantity` presents them. A subscription can be cancelled within 168 hours of its
purchase or latest renewal; additions do not reopen that window. Outside every window the only
way down is a quantity scheduled for the renewal. Calendar rules (term end, charge cycles) live
in terms.py; the prorated credits reuse proration.py so quotes equal the billed lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.errors import (
    CancellationWindowClosed,
    InvalidCatalogItem,
    SeatReductionNotAllowed,
)
from o365portal.domain.money import Money, RoundingPolicy, total
from o365portal.domain.proration import cancellation_refund, seat_change_lines
from o365portal.domain.terms import ChargeCycle, term_end

CANCELLATION_WINDOW = timedelta(hours=168)


class LotReason(StrEnum):
    """Why a seat lot exists."""

    PURCHASE = "purchase"
    RENEWAL = "renewal"
    ADDITION = "addition"


@dataclass(frozen=True)
class SeatLot:
    """Seats added together, at `added_at` (timezone-aware), for `reason`."""

    quantity: int
    added_at: datetime
    reason: LotReason

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"A seat lot holds at least one seat, not {self.quantity}")
        if self.added_at.utcoffset() is None:
            raise ValueError("A seat lot's added_at must be timezone-aware (UTC)")

    @property
    def deadline(self) -> datetime:
        """The moment this lot's seats can no longer be removed: added_at + 168 hours."""
        return self.added_at + CANCELLATION_WINDOW

    def reducible_at(self, now: datetime) -> bool:
        """True while the lot's window is open."""
        return now < self.deadline


@dataclass(frozen=True)
class ReducibleSeats:
    """How many seats can be removed now, from which lots (newest first)."""

    quantity: int
    lots: tuple[SeatLot, ...]

    @property
    def until(self) -> datetime | None:
        """When the reducible count next drops: the earliest deadline of the open lots."""
        return min((lot.deadline for lot in self.lots), default=None)


def _newest_first(lots: Sequence[SeatLot]) -> list[SeatLot]:
    return sorted(lots, key=lambda lot: lot.added_at, reverse=True)


def reducible_now(lots: Sequence[SeatLot], now: datetime) -> ReducibleSeats:
    """The seats that may be removed at `now`: those of lots still inside their window."""
    open_lots = tuple(lot for lot in _newest_first(lots) if lot.reducible_at(now))
    return ReducibleSeats(sum(lot.quantity for lot in open_lots), open_lots)


@dataclass(frozen=True)
class LotReduction:
    """`quantity` seats taken from `lot`."""

    lot: SeatLot
    quantity: int


@dataclass(frozen=True)
class ReductionPlan:
    """Which lots shrink, and the lots left afterwards."""

    reductions: tuple[LotReduction, ...]
    remaining: tuple[SeatLot, ...]

    @property
    def quantity(self) -> int:
        """Seats removed in total."""
        return sum(reduction.quantity for reduction in self.reductions)


def plan_reduction(
    lots: Sequence[SeatLot], quantity: int, now: datetime, *, renews_on: date
) -> ReductionPlan:
    """Remove `quantity` seats from the newest open lots, or refuse with the next chance.

    Raises `SeatReductionNotAllowed` (naming `renews_on`) when fewer seats are reducible.
    """
    held = sum(lot.quantity for lot in lots)
    if not 1 <= quantity < held:
        raise ValueError(f"Remove between 1 and {held - 1} seats; cancel to remove all {held}")
    reducible = reducible_now(lots, now)
    if quantity > reducible.quantity:
        raise SeatReductionNotAllowed(quantity, reducible.quantity, renews_on)
    reductions, left = [], quantity
    for lot in reducible.lots:
        if left:
            taken = min(left, lot.quantity)
            reductions.append(LotReduction(lot, taken))
            left -= taken
    remaining = [_shrink(lot, reductions) for lot in _newest_first(lots)]
    return ReductionPlan(tuple(reductions), tuple(lot for lot in remaining if lot is not None))


def _shrink(lot: SeatLot, reductions: list[LotReduction]) -> SeatLot | None:
    taken = sum(r.quantity for r in reductions if r.lot is lot)
    if taken == lot.quantity:
        return None
    return replace(lot, quantity=lot.quantity - taken) if taken else lot


def cancellation_deadline(lots: Sequence[SeatLot]) -> datetime:
    """168 hours after the latest purchase or renewal lot."""
    starts = [lot.added_at for lot in lots if lot.reason is not LotReason.ADDITION]
    if not starts:
        raise ValueError("A subscription's lots must include its purchase or renewal")
    return max(starts) + CANCELLATION_WINDOW


def check_cancellation(lots: Sequence[SeatLot], now: datetime) -> datetime:
    """Allow cancellation within 168 hours of purchase/renewal; returns the window's end.

    Raises `CancellationWindowClosed` afterwards.
    """
    deadline = cancellation_deadline(lots)
    if now >= deadline:
        raise CancellationWindowClosed(deadline)
    return deadline


def reduction_credit(
    quantity_before: int,
    quantity_after: int,
    *,
    cycle: ChargeCycle,
    cycle_price: Money,
    on: date,
    rounding: RoundingPolicy,
) -> Money:
    """Net amount of the seat-change lines a reduction on `on` would bill (negative: a credit)."""
    lines = seat_change_lines(quantity_before, quantity_after, cycle_price, cycle, on, rounding, "")
    return total((line.amount for line in lines), cycle_price.currency)


def cancellation_credit(
    quantity: int, *, cycle: ChargeCycle, cycle_price: Money, on: date, rounding: RoundingPolicy
) -> Money:
    """Amount of the refund line a cancellation on `on` would bill (negative: a credit)."""
    return cancellation_refund(quantity, cycle_price, cycle, on, rounding, "").amount


@dataclass(frozen=True)
class Commitment:
    """What a term commits to: seats, term and billing cycle."""

    quantity: int
    term: Term
    billing_cycle: BillingCycle


@dataclass(frozen=True)
class ScheduledChanges:
    """Changes that take effect at the next renewal (`scheduledNextTermInstructions`)."""

    quantity: int | None = None
    term: Term | None = None
    billing_cycle: BillingCycle | None = None


@dataclass(frozen=True)
class RenewedTerm:
    """A new term: its commitment, its single renewal lot and its last day."""

    commitment: Commitment
    lots: tuple[SeatLot, ...]
    term_end: date


def renew(current: Commitment, scheduled: ScheduledChanges, renewed_at: datetime) -> RenewedTerm:
    """Start the next term at `renewed_at`, applying the scheduled changes.

    The renewed seats form one lot with a fresh 168-hour window, as after a purchase.
    """
    commitment = Commitment(
        scheduled.quantity if scheduled.quantity is not None else current.quantity,
        scheduled.term or current.term,
        scheduled.billing_cycle or current.billing_cycle,
    )
    if commitment.billing_cycle.months > commitment.term.months:
        raise InvalidCatalogItem(
            f"A {commitment.term} term cannot be billed {commitment.billing_cycle}."
        )
    lot = SeatLot(commitment.quantity, renewed_at, LotReason.RENEWAL)
    return RenewedTerm(commitment, (lot,), term_end(renewed_at.date(), commitment.term))
