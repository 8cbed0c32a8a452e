"""NCE renewal: when it runs and what the next term looks like (pure).

Sources (reference §7.4): renewal is processed after the inclusive term end, starting 00:00 UTC
the next day; `scheduledNextTermInstructions` may change product/SKU/availability, term, billing
cycle and quantity; the price is re-evaluated at renewal and a new 168-hour window starts when the
renewal completes. Microsoft queues renewals for up to 24 h; the sandbox models a fixed processing
period (RENEWAL_PROCESSING) after 00:00 UTC during which PATCHes get `409 800082`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

RENEWAL_PROCESSING = timedelta(hours=1)


@dataclass(frozen=True)
class TermPlan:
    """What a term is made of: the catalog item, its commitment, billing cycle and seats."""

    product_id: str
    sku_id: str
    availability_id: str
    term_duration: str
    billing_cycle: str
    quantity: int

    @property
    def catalog_item_id(self) -> str:
        """`productId:skuId:availabilityId`."""
        return f"{self.product_id}:{self.sku_id}:{self.availability_id}"


def renewal_starts_at(commitment_end: date) -> datetime:
    """00:00 UTC on the day after the inclusive term end."""
    return datetime.combine(commitment_end + timedelta(days=1), time(0), tzinfo=UTC)


def renewal_completes_at(commitment_end: date) -> datetime:
    """When the sandbox finishes a renewal (and the new 168-hour window starts)."""
    return renewal_starts_at(commitment_end) + RENEWAL_PROCESSING


def renewal_in_progress(commitment_end: date, now: datetime) -> bool:
    """True during the processing period of the renewal of a term ending on `commitment_end`."""
    return renewal_starts_at(commitment_end) <= now < renewal_completes_at(commitment_end)


def next_term_plan(current: TermPlan, instructions: dict[str, Any] | None) -> TermPlan:
    """The plan of the next term: the current one changed by `scheduledNextTermInstructions`."""
    if not instructions:
        return current
    product = instructions.get("product") or {}
    return replace(
        current,
        product_id=product.get("productId") or current.product_id,
        sku_id=product.get("skuId") or current.sku_id,
        availability_id=product.get("availabilityId") or current.availability_id,
        term_duration=product.get("termDuration") or current.term_duration,
        billing_cycle=(product.get("billingCycle") or current.billing_cycle).lower(),
        quantity=int(instructions.get("quantity") or current.quantity),
    )
