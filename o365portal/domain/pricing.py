"""Sales price resolution, Microsoft's cost, and margin (ARCHITECTURE "Add subscription").

Prices are effective-dated: an entry holds from its `effective_from` day until the next entry for
the same catalog item starts (or until its optional `effective_until`, inclusive). A price is per
seat per charge cycle of the item's billing cycle, as in Microsoft's price sheet: a P1Y item
billed annually carries its yearly price (partner-center-api.md §10.4: 12 × the monthly 10.08 =
120.96), one billed monthly its monthly price. Keeping the cycle price avoids dividing a yearly
price by 12 and multiplying it back, which would lose cents under truncation.

The sales price of an item for a customer on a day is, first match wins:
1. the subscription's own price in force that day (the broker's "historic sales price": its
   own effective-dated prices, each from its `since` day until the next one starts; before the
   first one starts the lists apply),
2. the customer's price list,
3. the global price list.
A missing price is an explicit `NotForSale` answer with a reason, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from o365portal.domain.catalog import CatalogItemKey
from o365portal.domain.errors import InvalidPriceList
from o365portal.domain.money import Money


class PriceSource(StrEnum):
    """Where a quoted price came from."""

    SUBSCRIPTION = "subscription"
    CUSTOMER_LIST = "customer price list"
    GLOBAL_LIST = "global price list"
    COST_LIST = "Microsoft cost"


@dataclass(frozen=True)
class PriceEntry:
    """One item's price per seat per charge cycle, from `effective_from` (to `effective_until`)."""

    item: CatalogItemKey
    price: Money
    effective_from: date
    effective_until: date | None = None

    def covers(self, on: date) -> bool:
        """True when this entry is in force on `on`, ignoring later entries."""
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )


@dataclass(frozen=True)
class PriceList:
    """Effective-dated prices: the global list, a customer's list, or Microsoft's cost list."""

    name: str
    entries: tuple[PriceEntry, ...]

    def __post_init__(self) -> None:
        starts = [(entry.item, entry.effective_from) for entry in self.entries]
        if len(set(starts)) != len(starts):
            raise InvalidPriceList(
                f"Price list {self.name!r} has two prices for one item starting on the same day."
            )

    @classmethod
    def of(cls, name: str, entries: Iterable[PriceEntry]) -> PriceList:
        """A price list from any iterable of entries."""
        return cls(name, tuple(entries))

    def entry_on(self, item: CatalogItemKey, on: date) -> PriceEntry | None:
        """The entry in force for `item` on `on`: the latest started, if it still covers `on`."""
        started = [e for e in self.entries if e.item == item and e.effective_from <= on]
        latest = max(started, key=lambda entry: entry.effective_from, default=None)
        return latest if latest is not None and latest.covers(on) else None


@dataclass(frozen=True)
class SubscriptionPrice:
    """A price agreed for one subscription (the broker's historic sales price), from `since`
    until the subscription's next price starts."""

    price: Money
    since: date


def subscription_price_on(
    prices: Iterable[SubscriptionPrice], on: date
) -> SubscriptionPrice | None:
    """The subscription's own price in force on `on`: the latest started, or None before the
    first one starts. Two prices starting on one day raise InvalidPriceList."""
    listed = tuple(prices)
    if len({price.since for price in listed}) != len(listed):
        raise InvalidPriceList("A subscription has two prices starting on the same day.")
    started = [price for price in listed if price.since <= on]
    return max(started, key=lambda price: price.since, default=None)


@dataclass(frozen=True)
class PriceQuote:
    """The price of an item on a day, which source won, and since when it has applied."""

    item: CatalogItemKey
    price: Money
    source: PriceSource
    since: date
    price_list: str | None = None


@dataclass(frozen=True)
class NotForSale:
    """The explicit answer when no price applies; `reason` says which lists were consulted."""

    item: CatalogItemKey
    on: date
    reason: str


def _quote(
    entry: PriceEntry | None, source: PriceSource, price_list: PriceList
) -> PriceQuote | None:
    if entry is None:
        return None
    return PriceQuote(entry.item, entry.price, source, entry.effective_from, price_list.name)


def resolve_sales_price(
    item: CatalogItemKey,
    on: date,
    *,
    subscription_prices: Iterable[SubscriptionPrice] = (),
    customer_list: PriceList | None = None,
    global_list: PriceList,
) -> PriceQuote | NotForSale:
    """The sales price of `item` on `on`: the subscription's own price in force that day, else
    the customer list's, else the global list's."""
    own = subscription_price_on(subscription_prices, on)
    if own is not None:
        return PriceQuote(item, own.price, PriceSource.SUBSCRIPTION, own.since)
    if customer_list is not None:
        quote = _quote(customer_list.entry_on(item, on), PriceSource.CUSTOMER_LIST, customer_list)
        if quote is not None:
            return quote
    quote = _quote(global_list.entry_on(item, on), PriceSource.GLOBAL_LIST, global_list)
    if quote is not None:
        return quote
    consulted = "the customer's list or the global list" if customer_list else "the global list"
    return NotForSale(item, on, f"{item.catalog_item_id} has no price on {on} in {consulted}.")


def cost(item: CatalogItemKey, on: date, *, cost_list: PriceList) -> PriceQuote | NotForSale:
    """Microsoft's price to the broker for `item` on `on`, from the effective-dated cost list."""
    quote = _quote(cost_list.entry_on(item, on), PriceSource.COST_LIST, cost_list)
    if quote is not None:
        return quote
    return NotForSale(item, on, f"Microsoft lists no cost for {item.catalog_item_id} on {on}.")


def margin_percent(sales: Money, cost: Money) -> Decimal | None:
    """Margin % = (sales − cost) / sales × 100, rounded half-up to 2 decimals (GLOSSARY).

    When the sales price is zero the margin is undefined and the answer is None (the UI shows
    "—"); a negative margin means selling below cost.
    """
    difference = sales - cost
    if sales.is_zero():
        return None
    return (difference.amount * 100 / sales.amount).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
