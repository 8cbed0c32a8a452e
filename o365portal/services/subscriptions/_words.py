"""The words of the Subscriptions table: prices per seat and per charge cycle, licences in use,
and what a subscription's scheduled next-term instructions change at renewal.

A recorded price is per seat per charge cycle of the subscription's billing cycle (docs/domain.md);
the price per cycle is that times the quantity, rounded once by the sales rounding policy.
Amounts are written in the broker's number format (Settings), as on the price lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from o365portal.domain.money import SALES_ROUNDING, Money
from o365portal.services.number_format import NumberFormat
from o365portal.services.ordering._input import cycle_label, seats_label, term_label
from o365portal.services.subscriptions._facts import Charged, TableFacts

UNKNOWN = "—"  # a count nobody has synced yet: never shown as 0
_CYCLE_UNITS = {"monthly": "month", "annual": "year", "triennial": "3 years"}


def cycle_unit(billing_cycle: str) -> str:
    """One charge cycle in words: "month", "year", "3 years"."""
    return _CYCLE_UNITS.get(billing_cycle.lower(), billing_cycle.lower())


def price_words(
    charged: Charged | None, quantity: int, billing_cycle: str, number_format: NumberFormat
) -> tuple[str, str, str]:
    """("7.50 USD", "7.50 USD / seat / month", "75.00 USD / month"); blanks without a price."""
    if charged is None:
        return "", "", ""
    unit = f"{number_format.format(charged.amount)} {charged.currency}".strip()
    per = cycle_unit(billing_cycle)
    total = _cycle_total(charged, quantity)
    cycle_total = f"{number_format.format(total, places=2)} {charged.currency}".strip()
    return unit, f"{unit} / seat / {per}", f"{cycle_total} / {per}"


def _cycle_total(charged: Charged, quantity: int) -> Decimal:
    if not charged.currency:
        return charged.amount * quantity
    return SALES_ROUNDING.round(Money(charged.amount * quantity, charged.currency)).amount


def usage_words(consumed: int | None, quantity: int) -> tuple[str, str, str]:
    """(consumed, free, "7 assigned · 3 free") as numbers in words; "—" when unknown."""
    if consumed is None:
        return UNKNOWN, UNKNOWN, f"{UNKNOWN} assigned · {UNKNOWN} free"
    free = max(quantity - consumed, 0)
    return str(consumed), str(free), f"{consumed} assigned · {free} free"


def renewal_changes(
    next_term: dict[str, Any] | None,
    *,
    quantity: int,
    product_sku: tuple[str, str],
    term: str,
    billing_cycle: str,
    facts: TableFacts,
) -> str:
    """What Partner Center will change at renewal, in words ("" when nothing is scheduled):
    "At renewal: 5 seats · Annual billing"."""
    if not next_term:
        return ""
    changes: list[str] = []
    product_id, sku_id = next_term.get("product_id"), next_term.get("sku_id")
    if product_id and sku_id and (product_id, sku_id) != product_sku:
        product = facts.product(product_id, sku_id)
        changes.append(product.title if product else f"{product_id}:{sku_id}")
    new_quantity = next_term.get("quantity")
    if new_quantity is not None and new_quantity != quantity:
        changes.append(seats_label(new_quantity))
    new_term = next_term.get("term")
    if new_term and new_term.upper() != term.upper():
        changes.append(f"{term_label(new_term)} term")
    new_cycle = next_term.get("billing_cycle")
    if new_cycle and new_cycle.lower() != billing_cycle.lower():
        changes.append(f"{cycle_label(new_cycle)} billing")
    if next_term.get("custom_term_end_date"):
        changes.append(f"term ends {str(next_term['custom_term_end_date'])[:10]}")
    if not changes:
        return "Renewal instructions are set in Partner Center."
    return "At renewal: " + " · ".join(changes)
