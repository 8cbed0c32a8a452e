"""Microsoft's NCE daily proration for reconciliation line items (pure Decimal arithmetic).

Source: D23:common-billing-scenarios-onetime-recurring.md (reference §10.4):
`EffectiveUnitPrice = UnitPrice / chargeCycleDays × billingDays`, line amount =
EffectiveUnitPrice × BillableQuantity. The line amount is truncated to cents. The effective unit
price is kept unrounded on every line but a cancellation's, which the article prints in cents
(−9.42, against 9.408 on its seat-change lines): that reproduces every worked example in the
article to the cent (100.80, −94.08/+112.89, −112.89/+75.26, −94.20, the March-2022 seat table).
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
    effective_price_in_cents: bool = False

    @property
    def effective_unit_price(self) -> Decimal:
        """Unit price for the billed days (unrounded, or truncated to cents when asked)."""
        if self.billed_days == self.cycle_days:
            return self.unit_price
        exact = self.unit_price / self.cycle_days * self.billed_days
        return truncate_cents(exact) if self.effective_price_in_cents else exact

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
