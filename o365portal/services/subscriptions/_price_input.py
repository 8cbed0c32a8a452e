"""The edit-sales-price form: the day a price starts, the price as typed, and why.

Every field is read at once, so the broker sees every message together. The price is typed in
the broker's number format (`services/number_format.py`: a decimal comma under de_DE), may carry
the subscription's currency code before or after the amount ("7,50 EUR"), and may be zero (free
of charge from that day) but not below zero; a currency other than the subscription's is refused
naming both. The day may be in the past, never before the subscription started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from o365portal.domain.errors import UnreadableAmount
from o365portal.services.errors import InvalidInput
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing._lists import MAX_PRICE

MAX_REASON = 500
_MINUS = ("-", "\u2212")


@dataclass(frozen=True)
class PriceForm:
    """What the broker typed, as posted."""

    effective_from: str | date
    price: str | Decimal
    reason: str
    currency: str = ""  # optional: the currency the broker means, checked against `expected`


@dataclass(frozen=True)
class NewPrice:
    """A valid new price: from which day, the exact amount, and why."""

    effective_from: date
    amount: Decimal
    reason: str


def read_price_form(
    form: PriceForm, *, started: date, currency: str, number_format: NumberFormat
) -> NewPrice:
    """The new price, or InvalidInput with a message at each wrong field."""
    errors: dict[str, str] = {}
    day = amount = None
    try:
        day = _day(form.effective_from, started)
    except ValueError as error:
        errors["effective_from"] = str(error)
    try:
        amount = _amount(form.price, form.currency, currency, number_format)
    except ValueError as error:
        errors["price"] = str(error)
    reason = " ".join(form.reason.split())
    if not reason:
        errors["reason"] = "Say why the price changes: it is kept with the price for the audit."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason to {MAX_REASON} characters."
    if errors or day is None or amount is None:
        raise InvalidInput(errors)
    return NewPrice(day, amount, reason)


def _day(value: str | date, started: date) -> date:
    if isinstance(value, date):
        day = value
    elif not value.strip():
        raise ValueError("Choose the day the price starts.")
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("Enter the day as YYYY-MM-DD, such as 2026-03-01.") from None
    if day < started:
        raise ValueError(
            f"Choose {started.isoformat()} or later: the subscription started on "
            f"{started.isoformat()}, so it had no price before."
        )
    return day


def _split_currency(text: str) -> tuple[str, str]:
    """(amount text, currency code typed with it, or "")."""
    words = text.split()
    if len(words) > 1 and words[0].isalpha() and len(words[0]) == 3:
        return " ".join(words[1:]), words[0].upper()
    if len(words) > 1 and words[-1].isalpha() and len(words[-1]) == 3:
        return " ".join(words[:-1]), words[-1].upper()
    return text.strip(), ""


def _amount(
    price: str | Decimal, named: str, currency: str, number_format: NumberFormat
) -> Decimal:
    text, typed = ("", "") if isinstance(price, Decimal) else _split_currency(price)
    for other in (named.strip().upper(), typed):
        if other and other != currency:
            raise ValueError(
                f"This subscription is priced in {currency}, not {other}: enter the price in "
                f"{currency} (prices are never converted)."
            )
    if isinstance(price, Decimal):
        amount = price
    elif not text:
        raise ValueError("Enter the price per seat.")
    elif text.startswith(_MINUS):
        raise ValueError("A price cannot be below zero (0 means free of charge).")
    else:
        try:
            amount = number_format.parse(text)
        except UnreadableAmount as error:
            raise ValueError(str(error)) from None
    return _checked(amount, number_format)


def _checked(amount: Decimal, number_format: NumberFormat) -> Decimal:
    if not amount.is_finite():
        raise ValueError("Enter the price as a number.")
    if amount < 0:
        raise ValueError("A price cannot be below zero (0 means free of charge).")
    if amount > MAX_PRICE:
        raise ValueError(
            f"This price is too large: at most {number_format.format(MAX_PRICE, places=0)}."
        )
    if amount.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError("Use at most 4 decimals.")
    return amount
