"""Money as a value type, the two rounding policies, and loss-free allocation.

`Money` follows py-moneyed: a `Decimal` amount with its ISO 4217 currency beside it; arithmetic only
between amounts of one currency (otherwise `CurrencyMismatch`); multiplication by an `int` or
`Decimal` quantity; a `float` is refused everywhere because binary floats cannot hold cents.

Rounding happens once per billing line, through a `RoundingPolicy`:

- `SALES_ROUNDING`: what the broker charges its customers, prorated exactly as Microsoft prorates
  the cost (the product owner's rule, issue 14): the exact line amount (unit price × quantity ×
  billing days / charge-cycle days) is truncated toward zero to the currency's minor unit, once
  per line, and a cancellation refund starts from an effective unit price truncated to cents.
- `MICROSOFT_COST_ROUNDING`: what Microsoft charges the broker. The exact line amount is truncated
  (ROUND_DOWN, toward zero) to 2 decimals, which reproduces Microsoft's published seat-change
  figures (partner-center-api.md §10.4; see docs/domain.md for the one figure it does not).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Context, Decimal, localcontext

from o365portal.domain.errors import CurrencyMismatch

# ISO 4217 currencies whose minor unit is not the usual 2 decimals.
_MINOR_UNIT_EXCEPTIONS = {
    "BHD": 3, "CLP": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip

# Enough digits that no line amount loses precision before its single rounding step.
_WORKING_PRECISION = 60
_WORKING = Context(prec=_WORKING_PRECISION)  # its methods compute without swapping contexts
_CHECKED_CODES: set[str] = set()  # upper-case codes already found well formed


def minor_unit(currency: str) -> int:
    """Decimal places of the currency's minor unit (2 for EUR/USD, 0 for JPY)."""
    return _MINOR_UNIT_EXCEPTIONS.get(currency.upper(), 2)


def _as_decimal(value: Decimal | int, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or int, not {type(value).__name__}")
    return Decimal(value)


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency. `Money(Decimal("10.08"), "EUR")`; floats are refused."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount) is not Decimal:  # the common case skips the conversion
            object.__setattr__(self, "amount", _as_decimal(self.amount, "Money amount"))
        if self.currency in _CHECKED_CODES:
            return
        code = self.currency.upper() if isinstance(self.currency, str) else ""
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"Currency must be a 3-letter ISO 4217 code, not {self.currency!r}")
        object.__setattr__(self, "currency", code)
        _CHECKED_CODES.add(code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in `currency`."""
        return cls(Decimal(0), currency)

    def _same_currency(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same_currency(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same_currency(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, quantity: Decimal | int) -> Money:
        return Money(self.amount * _as_decimal(quantity, "A quantity"), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other).amount

    def is_zero(self) -> bool:
        """True when the amount is zero."""
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum of `amounts` (all in `currency`); zero for none."""
    return sum(amounts, Money.zero(currency))


@dataclass(frozen=True)
class RoundingPolicy:
    """How one billing line's exact amount becomes a payable amount.

    `mode` is a `decimal` rounding mode; `places` is the number of decimals kept (None: the
    currency's minor unit); `unit_price_places`, when set, rounds the effective unit price with
    the same mode before it is multiplied by the quantity (the reconciliation file's formula);
    `cancellation_unit_price_places` does the same for cancellation refunds only (Microsoft's
    published cancellation line carries an effective price in cents, −9.42, while its seat-change
    lines keep it unrounded, 9.408).
    """

    name: str
    mode: str
    places: int | None = None
    unit_price_places: int | None = None
    cancellation_unit_price_places: int | None = None

    def for_cancellation(self) -> RoundingPolicy:
        """The policy a cancellation refund line is rounded with."""
        if self.cancellation_unit_price_places is None:
            return self
        return replace(self, unit_price_places=self.cancellation_unit_price_places)

    def round(self, money: Money) -> Money:
        """`money` rounded to this policy's places with its mode."""
        places = minor_unit(money.currency) if self.places is None else self.places
        exponent = Decimal(1).scaleb(-places)
        return Money(money.amount.quantize(exponent, rounding=self.mode), money.currency)

    def line_amount(
        self, unit_price: Money, quantity: int, billing_days: int = 1, cycle_days: int = 1
    ) -> Money:
        """Amount of a line: unit price × quantity × billing days / cycle days, rounded once."""
        work = _WORKING
        if self.unit_price_places is None:
            exact = work.divide(
                work.multiply(work.multiply(unit_price.amount, billing_days), quantity), cycle_days
            )
        else:
            exponent = Decimal(1).scaleb(-self.unit_price_places)
            effective = work.divide(work.multiply(unit_price.amount, billing_days), cycle_days)
            exact = work.multiply(effective.quantize(exponent, rounding=self.mode), quantity)
        return self.round(Money(exact, unit_price.currency))


SALES_ROUNDING = RoundingPolicy(
    "sales: prorated as Microsoft prorates, truncated to the minor unit once per line; "
    "cancellation refunds from an effective unit price truncated to cents",
    ROUND_DOWN,
    cancellation_unit_price_places=2,
)
MICROSOFT_COST_ROUNDING = RoundingPolicy(
    "Microsoft cost: truncated to 2 decimals, once per line; cancellation refunds from an "
    "effective unit price truncated to cents",
    ROUND_DOWN,
    places=2,
    cancellation_unit_price_places=2,
)


def allocate(amount: Money, weights: Sequence[Decimal | int]) -> list[Money]:
    """Split `amount` in proportion to `weights` without losing or inventing a minor unit.

    Each share is truncated to the minor unit; the units left over go, one each, to the shares
    with the largest remainders (ties: earlier shares first). The shares always sum to `amount`.
    """
    weights = [_as_decimal(weight, "A weight") for weight in weights]
    if not weights or any(weight < 0 for weight in weights) or sum(weights) == 0:
        raise ValueError("allocate needs at least one non-negative weight and a positive sum")
    unit = Decimal(1).scaleb(-minor_unit(amount.currency))
    units = (amount.amount / unit).to_integral_value(rounding=ROUND_DOWN)
    if units * unit != amount.amount:
        raise ValueError(f"{amount} has more decimals than its currency's minor unit")
    with localcontext() as context:
        context.prec = _WORKING_PRECISION
        exact = [units * weight / sum(weights) for weight in weights]
    shares = [share.to_integral_value(rounding=ROUND_DOWN) for share in exact]
    leftover = int(units - sum(shares))
    step = 1 if leftover >= 0 else -1
    by_remainder = sorted(range(len(shares)), key=lambda i: -(exact[i] - shares[i]) * step)
    for index in by_remainder[: abs(leftover)]:
        shares[index] += step
    return [Money(share * unit, amount.currency) for share in shares]
