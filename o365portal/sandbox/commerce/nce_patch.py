"""Applying a subscription PATCH under Microsoft's NCE rules (reference §7.3, §7.4).

Full-resource semantics: the body is the whole Subscription; a missing `autoRenewEnabled` means
false and a missing `scheduledNextTermInstructions` removes them; other missing fields keep
their value. Order of checks: deleted/ended/renewing, trial, status transition (cancel →
168-h window and a `cancelImmediate` refund line; suspend → auto-renew off and scheduled changes
removed), suspended restrictions, quantity (min/max, per-lot reduction windows, recon pair),
auto-renew and scheduled next-term instructions (active + auto-renew only, validated against
the catalog). A quantity change or auto-renew off also drops scheduled changes, as Microsoft does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from o365portal.sandbox.billing.recon_lines import LineEvent, record_lines, seat_change_events
from o365portal.sandbox.commerce.catalog_data import load_catalog
from o365portal.sandbox.commerce.nce_lifecycle import renewing
from o365portal.sandbox.commerce.nce_rules import (
    NceRuleError,
    check_cancellation,
    check_quantity,
    check_scheduled_instructions,
    check_status_change,
    check_suspended_change,
    check_trial_change,
    check_updatable,
    full_refund_due,
    open_lot,
    remove_seats,
)
from o365portal.sandbox.commerce.nce_subscription import lots_of, store_lots, window_start
from o365portal.sandbox.commerce.nce_terms import CYCLE_MONTHS, TERM_MONTHS
from o365portal.sandbox.core.rows import SubscriptionRow
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import CIDict

INSTRUCTIONS: Final = "scheduledNextTermInstructions"


@dataclass(frozen=True)
class PatchRequest:
    """The fields of a subscription PATCH body the sandbox acts on."""

    quantity: int
    friendly_name: str
    status: str
    auto_renew: bool
    instructions: dict[str, Any] | None


def _plain(value: Any) -> Any:
    if isinstance(value, CIDict):
        return {key: _plain(value[key]) for key in value}
    return value


def read_patch(body: CIDict, current: SubscriptionRow) -> PatchRequest:
    """Read a PATCH body against the current subscription (full-resource semantics)."""
    try:
        quantity = int(body.get("quantity", current["quantity"]))
    except (TypeError, ValueError) as exc:
        raise NceRuleError(400, 800002, "The quantity is not valid.") from exc
    instructions = body.get(INSTRUCTIONS)
    return PatchRequest(
        quantity=quantity,
        friendly_name=body.text("friendlyName") or current["friendlyName"],
        status=body.text("status").lower() or current["status"],
        auto_renew=bool(body.get("autoRenewEnabled", False)),
        instructions=_plain(instructions) if isinstance(instructions, CIDict) else None,
    )


def _cancel(state: SandboxState, subscription: SubscriptionRow, now: datetime) -> None:
    opened = window_start(subscription)
    check_cancellation(opened, now)
    full = full_refund_due(opened, now)
    reference = str(uuid.uuid4())
    event = LineEvent(
        "cancelImmediate",
        now.date(),
        subscription["quantity"],
        reference,
        refund=True,
        full_cycle=full,
    )
    record_lines(state, subscription, [event], now)
    subscription.update({"status": "deleted", "autoRenewEnabled": False})
    subscription.pop(INSTRUCTIONS, None)
    store_lots(subscription, [])


def _suspend(subscription: SubscriptionRow) -> None:
    subscription.update({"status": "suspended", "autoRenewEnabled": False})
    subscription.pop(INSTRUCTIONS, None)


def _change_quantity(
    state: SandboxState, subscription: SubscriptionRow, quantity: int, now: datetime
) -> None:
    extra = subscription["_sandbox"]
    check_quantity(quantity, extra["minimumQuantity"], extra["maximumQuantity"])
    old, lots = subscription["quantity"], lots_of(subscription)
    if quantity > old:
        lots.append(open_lot(quantity - old, now))
        events = seat_change_events("addQuantity", now.date(), old, quantity)
    else:
        lots = remove_seats(lots, old - quantity, now)
        events = seat_change_events("removeQuantity", now.date(), old, quantity)
    store_lots(subscription, lots)
    record_lines(state, subscription, events, now)
    subscription["quantity"] = quantity


def _checked_cycle(cycle: str, term: str, sold: list[str]) -> str:
    if cycle not in CYCLE_MONTHS:
        raise NceRuleError(400, 900269, f"The billing cycle {cycle} is not valid.")
    if CYCLE_MONTHS[cycle] > TERM_MONTHS[term]:
        raise NceRuleError(400, 900270, "The billing cycle cannot be longer than the term.")
    if cycle not in sold:
        raise NceRuleError(400, 900269, f"The billing cycle {cycle} is not sold for this term.")
    return cycle


def validated_instructions(subscription: SubscriptionRow, wanted: dict[str, Any]) -> dict[str, Any]:
    """Check scheduled next-term instructions against the catalog and normalise them."""
    extra, product = subscription["_sandbox"], CIDict(wanted).child("product")
    term = product.text("termDuration") or subscription["termDuration"]
    if term not in TERM_MONTHS:
        raise NceRuleError(400, 900268, f"The term {term} is not valid.")
    product_id = product.text("productId") or extra["productId"]
    sku_id = product.text("skuId") or extra["skuId"]
    item = load_catalog().item_for_term(product_id, sku_id, term)
    if item is None:
        raise NceRuleError(400, 900268, f"{product_id}:{sku_id} is not sold with term {term}.")
    cycle = (product.text("billingCycle") or subscription["billingCycle"]).lower()
    quantity = int(CIDict(wanted).get("quantity") or subscription["quantity"])
    check_quantity(quantity, item.sku["minimumQuantity"], item.sku["maximumQuantity"])
    return {
        "product": {
            "productId": item.product["id"],
            "skuId": item.sku["id"],
            "availabilityId": item.availability["id"],
            "billingCycle": _checked_cycle(cycle, term, item.billing_cycles()),
            "termDuration": term,
            "promotionId": product.text("promotionId"),
        },
        "quantity": quantity,
        "customTermEndDate": CIDict(wanted).get("customTermEndDate"),
    }


def _planned_instructions(
    subscription: SubscriptionRow, request: PatchRequest, quantity_changed: bool
) -> dict[str, Any] | None:
    wanted = request.instructions
    if wanted is None:
        return None
    check_scheduled_instructions(request.auto_renew, "active")
    planned = validated_instructions(subscription, wanted)
    # A client sends the whole resource back: the instructions it read (in any spelling of the
    # same values) are the old ones, which a mid-term quantity change wipes.
    if quantity_changed and planned == subscription.get(INSTRUCTIONS):
        return None
    return planned


def apply_patch(
    state: SandboxState, subscription: SubscriptionRow, request: PatchRequest, now: datetime
) -> None:
    """Apply one PATCH to a subscription row, or raise the NceRuleError Microsoft would."""
    check_updatable(subscription["status"], renewing(subscription, now))
    status_changed = request.status != subscription["status"]
    quantity_changed = request.quantity != subscription["quantity"]
    check_trial_change(subscription["isTrial"], quantity_changed, status_changed)
    if status_changed:
        check_status_change(subscription["status"], request.status)
    if request.status == "deleted":
        _cancel(state, subscription, now)
        return
    if request.status == "suspended":
        settings = not status_changed and (request.auto_renew or bool(request.instructions))
        check_suspended_change(quantity_changed, settings)
        _suspend(subscription)
        subscription["friendlyName"] = request.friendly_name
        return
    planned = _planned_instructions(subscription, request, quantity_changed)
    if quantity_changed:
        _change_quantity(state, subscription, request.quantity, now)
    subscription.update(
        {
            "status": "active",
            "friendlyName": request.friendly_name,
            "autoRenewEnabled": request.auto_renew,
        }
    )
    subscription.pop(INSTRUCTIONS, None)
    if planned is not None:
        subscription[INSTRUCTIONS] = planned
