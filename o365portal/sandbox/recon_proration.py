"""Microsoft's NCE daily proration for reconciliation line items (pure Decimal arithmetic).

Source: D23:common-billing-scenarios-onetime-recurring.md (reference §10.4):
`EffectiveUnitPrice = UnitPrice / chargeCycleDays × billingDays`, line amount =
EffectiveUnitPrice × BillableQuantity. The effective unit price is kept unrounded and the line
amount is truncated to cents, which reproduces every worked example in that article
(100.80, −94.08/+112.89, −112.89/+75.26, the March-2022 seat table) except the cancellation one,
whose published −94.2 is inconsistent with its own formula (10.08/31×29×10 = 94.297 → −94.29 here).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Charge:
    """One priced span: the unit price per cycle, the cycle's days and the days billed."""

    unit_price: Decimal
    cycle_days: int
    billed_days: int

    @property
    def effective_unit_price(self) -> Decimal:
        """Unit price for the billed days (unrounded)."""
        if self.billed_days == self.cycle_days:
            return self.unit_price
        return self.unit_price / self.cycle_days * self.billed_days

    def amount(self, quantity: int) -> Decimal:
        """The line amount for `quantity` seats, truncated to cents."""
        return truncate_cents(self.effective_unit_price * quantity)


def truncate_cents(amount: Decimal) -> Decimal:
    """Cut an amount to two decimals toward zero (Microsoft's ROUNDDOWN)."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def display_price(value: Decimal) -> str:
    """A price as the wire shows it: plain decimal string, no exponent, trailing zeros dropped."""
    text = format(value.quantize(Decimal("0.000001")).normalize(), "f")
    return "0" if text in {"-0", "0"} else text
