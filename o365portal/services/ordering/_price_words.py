"""Prices in words: the order form's live quote and a request's price, per seat and in total.

Amounts are written with two decimals and the currency apart (`7.50`, `USD`); a broker's words
add Microsoft's cost per seat and the margin. A customer's `QuoteView` has no such fields at
all, so a customer's page state, and therefore its websocket frames, never holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from o365portal.services.ordering._input import seats_label
from o365portal.services.pricing import _quote as pricing


@dataclass(frozen=True)
class QuoteView:
    """The live price of the order form: per seat and the total for `seats` (no cost data)."""

    currency: str
    unit_price: str  # "7.50"
    total: str  # "37.50"
    seats: str  # "5 seats"


@dataclass(frozen=True)
class BrokerQuoteView(QuoteView):
    """A quote as broker staff see it: with Microsoft's cost per seat and the margin."""

    unit_cost: str  # "6.00 USD", or "not recorded"
    margin: str  # "20.00 %", or "—" when the cost is not known


def price_words(quote: pricing.PriceQuoteView) -> dict[str, str]:
    """`currency`, `unit_price` and `total`; `unit_cost` and `margin` of a broker's quote."""
    words = {
        "currency": quote.currency,
        "unit_price": f"{quote.unit_price:.2f}",
        "total": f"{quote.total:.2f}",
    }
    if isinstance(quote, pricing.BrokerPriceQuoteView):
        cost, margin = quote.unit_cost, quote.margin_percent
        words["unit_cost"] = f"{cost:.2f} {quote.currency}" if cost is not None else "not recorded"
        words["margin"] = f"{margin} %" if margin is not None else "—"
    return words


def quote_view(quote: pricing.PriceQuoteView) -> QuoteView:
    """The quote in words (a BrokerQuoteView for a broker's quote)."""
    words = price_words(quote) | {"seats": seats_label(quote.quantity)}
    if isinstance(quote, pricing.BrokerPriceQuoteView):
        return BrokerQuoteView(**words)
    return QuoteView(**words)
