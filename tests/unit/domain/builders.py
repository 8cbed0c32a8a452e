"""Small builders shared by the domain tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from o365portal.domain.catalog import BillingCycle, CatalogItemKey, Term
from o365portal.domain.money import Money
from o365portal.domain.rating import PriceOn


def eur(amount: str) -> Money:
    """EUR amount from a string."""
    return Money(Decimal(amount), "EUR")


def item(
    sku: str = "0001", term: Term = Term.P1Y, billing_cycle: BillingCycle = BillingCycle.MONTHLY
) -> CatalogItemKey:
    """A Microsoft 365 Business Standard-like catalog item."""
    return CatalogItemKey("CFQ7TTC0LDPB", sku, "0002", term, billing_cycle)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A timezone-aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def day(text: str) -> date:
    """A date from ISO text."""
    return date.fromisoformat(text)


def monthly_price(amount: str) -> PriceOn:
    """A price source charging `amount` per seat per month: N months' cycle costs N × amount."""

    def price_on(_on: date, _term: Term, billing_cycle: BillingCycle) -> Money:
        return eur(amount) * billing_cycle.months

    return price_on
