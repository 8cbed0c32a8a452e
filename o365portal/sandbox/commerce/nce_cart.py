"""Cart line items: validation against the catalog and pricing (reference §6.1, §5.3, §5.4).

Line errors are returned inside the cart body (`error{errorCode, errorDescription}`), not as
HTTP errors: unknown catalog item `10001`, term not sold by the availability `900268`, unknown
billing cycle `900269`, billing cycle longer than the term `900270`, billing cycle not sold
`10013`, quantity outside the SKU's min/max `900275`, add-on without an active compatible base
(in the tenant or in the same cart) `400041`, currency not supported `10000`.
Pricing (`listPrice`, `price`, `extendedPrice` = price × cycles per term × quantity) uses the
list price in force on the sandbox-clock day in the customer's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from o365portal.sandbox.commerce.catalog_data import Catalog, CatalogItem
from o365portal.sandbox.commerce.nce_terms import CYCLE_MONTHS, TERM_MONTHS
from o365portal.sandbox.core.rows import SubscriptionRow
from o365portal.sandbox.core.wire import CIDict

BASE_STATUSES = {"active"}


@dataclass(frozen=True)
class LineError(Exception):
    """Why one cart line can't be bought."""

    code: int
    description: str


@dataclass(frozen=True)
class PricedLine:
    """A valid cart line: its catalog item, plan and unit price."""

    item: CatalogItem
    billing_cycle: str
    quantity: int
    unit_price: Decimal


def cycles_per_term(term_duration: str, billing_cycle: str) -> int:
    """How many charge cycles one term holds (P1Y monthly = 12, P1Y annual = 1)."""
    return TERM_MONTHS[term_duration] // CYCLE_MONTHS[billing_cycle]


def pricing(
    unit_price: Decimal, term_duration: str, billing_cycle: str, quantity: int
) -> dict[str, Any]:
    """The `pricing` object of a cart or order line (JSON numbers, computed in Decimal)."""
    extended = unit_price * cycles_per_term(term_duration, billing_cycle) * quantity
    price = float(unit_price)
    return {
        "listPrice": price,
        "discountedPrice": price,
        "proratedPrice": price,
        "price": price,
        "extendedPrice": float(extended),
    }


def _billing_cycle(line: CIDict, item: CatalogItem) -> str:
    cycle = line.text("billingCycle").lower()
    if cycle not in CYCLE_MONTHS:
        raise LineError(900269, f"The billing cycle {cycle or '(none)'} is not valid.")
    if CYCLE_MONTHS[cycle] > TERM_MONTHS[item.term_duration]:
        raise LineError(900270, "The billing cycle cannot be longer than the term.")
    if cycle not in item.billing_cycles():
        raise LineError(10013, f"The billing plan {cycle} is not supported for this item.")
    return cycle


def _quantity(line: CIDict, item: CatalogItem) -> int:
    try:
        quantity = int(line.get("quantity") or 0)
    except (TypeError, ValueError) as exc:
        raise LineError(10010, "The quantity is not valid.") from exc
    low, high = item.sku["minimumQuantity"], item.sku["maximumQuantity"]
    if not low <= quantity <= high:
        raise LineError(
            900275, f"The quantity {quantity} is not within the allowed range ({low}-{high})."
        )
    return quantity


def _check_base(item: CatalogItem, base_products: set[str]) -> None:
    wanted = set(item.sku["prerequisiteProductIds"])
    if item.sku["isAddon"] and not wanted & base_products:
        raise LineError(400041, "The addon is not purchasable without a compatible base product.")


def price_line(
    catalog: Catalog,
    line: CIDict,
    *,
    currency: str | None,
    base_products: set[str],
    day: date,
) -> PricedLine:
    """Validate one cart line and price it, or raise the `LineError` of the first broken rule."""
    item = catalog.item(line.text("catalogItemId"))
    if item is None:
        raise LineError(10001, f"The catalog item id {line.text('catalogItemId')} is not valid.")
    term = line.text("termDuration") or item.term_duration
    if term != item.term_duration:
        raise LineError(900268, f"The term {term} is not valid for this catalog item.")
    cycle = _billing_cycle(line, item)
    quantity = _quantity(line, item)
    _check_base(item, base_products)
    unit_price = item.unit_price(cycle, currency, day) if currency else None
    if unit_price is None:
        raise LineError(10000, "The currency is not supported for this catalog item.")
    return PricedLine(item, cycle, quantity, unit_price)


def base_products_in_cart(catalog: Catalog, lines: list[CIDict]) -> set[str]:
    """Product ids of the non-add-on items a cart buys (bases for add-ons in the same cart)."""
    items = [catalog.item(line.text("catalogItemId")) for line in lines]
    return {item.product["id"] for item in items if item and not item.sku["isAddon"]}


def active_base_products(subscriptions: list[SubscriptionRow]) -> set[str]:
    """Product ids of a customer's active subscriptions."""
    return {sub["_sandbox"]["productId"] for sub in subscriptions if sub["status"] in BASE_STATUSES}
