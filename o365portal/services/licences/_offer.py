"""Seats missing for an assignment, offered with the cost of buying them.

Instead of Microsoft's "run out of licenses" (60012), the portal says how many seats are
missing on which subscription (the oldest active one of the SKU) and what adding them costs
(`subscriptions.preview_quantity`); accepting buys them (`subscriptions.change_quantity`, which
sends a customer's purchase to the broker when approvals are on).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from o365portal.partner_center import PartnerCenterClient
from o365portal.services import subscriptions
from o365portal.services.licences._seats import Tenancy
from o365portal.services.ordering._input import seats_label
from o365portal.services.principal import Principal


@dataclass(frozen=True)
class SeatOffer:
    """Seats to buy on one subscription so that an assignment can be done."""

    subscription_id: int
    friendly_name: str
    missing: int  # seats to add
    quantity: int  # the subscription's seat count after buying them
    words: str  # "Sales team has no free seat: buy 1 seat (3 → 4 seats)."
    preview: subscriptions.ChangePreview  # the cost of the change, as the actor may see it


def missing_seats(tenancy: Tenancy, wanted: Counter[str]) -> dict[str, int]:
    """Per Entra SKU, the seats `wanted` needs beyond the free ones (unknown counts as none
    missing: Microsoft then says whether one is free)."""
    missing = {}
    for sku, count in wanted.items():
        free = tenancy.free.get(sku)
        if free is not None and count > max(free, 0):
            missing[sku] = count - max(free, 0)
    return missing


def offers(actor: Principal, tenancy: Tenancy, missing: dict[str, int]) -> list[SeatOffer]:
    """The purchase that gives each SKU its missing seats, with its cost preview."""
    found = []
    for sku, count in sorted(missing.items()):
        candidates = tenancy.of_sku(sku)
        if not candidates:
            continue
        seat = candidates[0]
        after = seat.quantity + count
        preview = subscriptions.preview_quantity(
            actor=actor, subscription_id=seat.subscription_id, quantity=after
        )
        words = (
            f"{seat.friendly_name} has no free seat: buy {seats_label(count)} "
            f"({seat.quantity} → {seats_label(after)})."
        )
        found.append(
            SeatOffer(seat.subscription_id, seat.friendly_name, count, after, words, preview)
        )
    return found


async def buy(
    actor: Principal,
    found: list[SeatOffer],
    pc: PartnerCenterClient | None,
    then: dict[str, Any] | None = None,
) -> list[subscriptions.ChangeOutcome]:
    """Buy the offered seats, one subscription after the other; `then` (the licence change the
    seats are for) waits with a purchase that needs the broker's approval (`_pending.py`)."""
    return [
        await subscriptions.change_quantity(
            actor=actor,
            subscription_id=offer.subscription_id,
            quantity=offer.quantity,
            pc=pc,
            then=then,
        )
        for offer in found
    ]
