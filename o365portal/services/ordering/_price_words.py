"""Prices in words: a request's price, per seat and in total.

Amounts are written with two decimals and the currency apart (`7.50`, `USD`); a broker's words
add Microsoft's cost per seat and the margin, a customer's have no such keys at all.
"""

from __future__ import annotations

from o365portal.services.pricing import _quote as pricing


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
