"""Billing lines and Microsoft's daily proration (partner-center-api.md §10.4).

    effective unit price = unit price / charge-cycle days × billing days

Billing days run from the event day to the end of the charge cycle, both included, capped at the
charge-cycle days: a month-end cycle such as 02-28..03-30 (31 days, divided by February's 28)
would otherwise prorate a change on its first day above a full cycle's price. A seat change
is two lines sharing one reference: a refund of the old quantity and a charge of the new one, both
from the change day to the cycle end. A cancellation refunds the unused days. Each line's amount
is rounded once by the caller's `RoundingPolicy` (sales or Microsoft cost, see money.py); on
Microsoft's side a cancellation's effective unit price is truncated to cents first, as its
published cancellation line shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from o365portal.domain.money import Money, RoundingPolicy
from o365portal.domain.terms import ChargeCycle

# Effective unit prices are shown with this many decimals; amounts use the exact fraction.
_EFFECTIVE_PRICE_PLACES = Decimal("0.000001")


class LineKind(StrEnum):
    """What a billing line is, in the business's words."""

    CYCLE_FEE = "cycle fee"
    PRORATED_CHARGE = "pro-rata charge"
    REFUND = "refund"


class ChargeType(StrEnum):
    """Microsoft's reconciliation `ChargeType` for the same line (§10.3)."""

    NEW = "new"
    RENEW = "renew"
    CYCLE_CHARGE = "cycleCharge"
    ADD_QUANTITY = "addQuantity"
    REMOVE_QUANTITY = "removeQuantity"
    CANCEL_IMMEDIATE = "cancelImmediate"


@dataclass(frozen=True)
class BillingLine:
    """One charge or credit: quantity × effective unit price for a span of days.

    `unit_price` is the price of one seat for the whole charge cycle; `effective_unit_price` is
    signed (negative on refunds); `amount` is rounded; `reference` names the event that caused
    the line and is shared by the two lines of one seat change.
    """

    kind: LineKind
    charge_type: ChargeType
    quantity: int
    unit_price: Money
    effective_unit_price: Decimal
    start: date
    end: date
    amount: Money
    reference: str

    @property
    def charge_date(self) -> date:
        """The day the line is charged: the first day it covers."""
        return self.start


def billing_days(cycle: ChargeCycle, day: date) -> int:
    """Days billed from `day` to the cycle end, capped at the charge-cycle days."""
    return min(cycle.billing_days_from(day), cycle.charge_cycle_days)


def effective_unit_price(cycle_price: Money, cycle: ChargeCycle, day: date) -> Decimal:
    """Unit price / charge-cycle days × billing days from `day`, to 6 decimals for display."""
    with localcontext() as context:
        context.prec = 40
        exact = cycle_price.amount * billing_days(cycle, day) / cycle.charge_cycle_days
    return exact.quantize(_EFFECTIVE_PRICE_PLACES, rounding=ROUND_HALF_UP).normalize()


def cycle_fee(
    quantity: int,
    cycle_price: Money,
    cycle: ChargeCycle,
    charge_type: ChargeType,
    rounding: RoundingPolicy,
    reference: str,
) -> BillingLine:
    """The full charge for a charge cycle: quantity × price of one seat for the cycle."""
    amount = rounding.line_amount(cycle_price, quantity)
    return BillingLine(
        LineKind.CYCLE_FEE,
        charge_type,
        quantity,
        cycle_price,
        cycle_price.amount,
        cycle.start,
        cycle.end,
        amount,
        reference,
    )


def _prorated(
    kind: LineKind,
    charge_type: ChargeType,
    quantity: int,
    cycle_price: Money,
    cycle: ChargeCycle,
    day: date,
    rounding: RoundingPolicy,
    reference: str,
) -> BillingLine:
    amount = rounding.line_amount(
        cycle_price, quantity, billing_days(cycle, day), cycle.charge_cycle_days
    )
    effective = effective_unit_price(cycle_price, cycle, day)
    if rounding.unit_price_places is not None:
        exponent = Decimal(1).scaleb(-rounding.unit_price_places)
        effective = effective.quantize(exponent, rounding=rounding.mode)
    if kind is LineKind.REFUND:
        amount, effective = -amount, -effective
    return BillingLine(
        kind, charge_type, quantity, cycle_price, effective, day, cycle.end, amount, reference
    )


def seat_change_lines(
    old_quantity: int,
    new_quantity: int,
    cycle_price: Money,
    cycle: ChargeCycle,
    day: date,
    rounding: RoundingPolicy,
    reference: str,
) -> tuple[BillingLine, BillingLine]:
    """Refund of the old quantity and charge of the new one, from `day` to the cycle end."""
    if old_quantity == new_quantity:
        raise ValueError("A seat change needs a different quantity")
    charge_type = (
        ChargeType.ADD_QUANTITY if new_quantity > old_quantity else ChargeType.REMOVE_QUANTITY
    )
    return (
        _prorated(
            LineKind.REFUND, charge_type, old_quantity, cycle_price, cycle, day, rounding, reference
        ),
        _prorated(
            LineKind.PRORATED_CHARGE,
            charge_type,
            new_quantity,
            cycle_price,
            cycle,
            day,
            rounding,
            reference,
        ),
    )


def cancellation_refund(
    quantity: int,
    cycle_price: Money,
    cycle: ChargeCycle,
    day: date,
    rounding: RoundingPolicy,
    reference: str,
) -> BillingLine:
    """Refund of the unused days, from the cancellation day to the cycle end."""
    return _prorated(
        LineKind.REFUND,
        ChargeType.CANCEL_IMMEDIATE,
        quantity,
        cycle_price,
        cycle,
        day,
        rounding.for_cancellation(),
        reference,
    )
