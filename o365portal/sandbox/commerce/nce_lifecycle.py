"""What happens to NCE subscriptions as the sandbox clock moves (reference §7.4, §10.4).

For each active or suspended subscription, in time order: at 00:00 UTC of every new charge cycle
inside the term a `cycleCharge` line (suspended subscriptions stay billed); after the inclusive
term end, at 00:00 UTC: auto-renew on → renewal (processing until RENEWAL_PROCESSING later, then
the next term with `scheduledNextTermInstructions` applied, re-priced at the price then in force,
new seat lots and cancellation window, a `renew` line); auto-renew off → `expired`; still
suspended → `disabled`. A clock jump of several terms replays every step in order.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from o365portal.sandbox.billing.recon_lines import LineEvent, record_lines
from o365portal.sandbox.commerce.catalog_data import CatalogItem, load_catalog
from o365portal.sandbox.commerce.nce_events import announce
from o365portal.sandbox.commerce.nce_renewal import (
    TermPlan,
    next_term_plan,
    renewal_completes_at,
    renewal_starts_at,
)
from o365portal.sandbox.commerce.nce_subscription import (
    commitment_end,
    midnight,
    next_cycle_start,
    plan_of,
    start_term,
)
from o365portal.sandbox.core.rows import SUBSCRIPTIONS, SubscriptionRow
from o365portal.sandbox.core.state import SandboxState

LIVE = {"active", "suspended"}


def renewing(subscription: SubscriptionRow, now: datetime) -> bool:
    """True while the subscription's renewal is being processed (PATCH → 409)."""
    end = commitment_end(subscription)
    return (
        subscription["status"] == "active"
        and subscription["autoRenewEnabled"]
        and renewal_starts_at(end) <= now < renewal_completes_at(end)
    )


def next_term_item(plan: TermPlan) -> CatalogItem | None:
    """The catalog item that sells the next term's plan."""
    catalog = load_catalog()
    item = catalog.availability(plan.product_id, plan.sku_id, plan.availability_id)
    if item is not None and item.term_duration == plan.term_duration:
        return item
    return catalog.item_for_term(plan.product_id, plan.sku_id, plan.term_duration)


def renew(state: SandboxState, subscription: SubscriptionRow, now: datetime) -> None:
    """Start the next term: scheduled changes applied, re-priced, new windows, `renew` line."""
    end = commitment_end(subscription)
    plan = next_term_plan(plan_of(subscription), subscription.get("scheduledNextTermInstructions"))
    item = next_term_item(plan) or next_term_item(plan_of(subscription))
    assert item is not None
    currency = subscription["_sandbox"]["currency"]
    renewal_day = renewal_starts_at(end).date()
    price = item.unit_price(plan.billing_cycle, currency, renewal_day)
    unit_price = price if price is not None else Decimal(subscription["_sandbox"]["unitPrice"])
    start_term(subscription, item, plan, renewal_completes_at(end), unit_price)
    event = LineEvent("renew", renewal_day, plan.quantity, str(uuid.uuid4()), full_cycle=True)
    record_lines(state, subscription, [event], now)


def _end_term(state: SandboxState, subscription: SubscriptionRow, now: datetime) -> bool:
    """Handle a passed term end; False while a renewal is still being processed."""
    if subscription["status"] == "suspended":
        subscription["status"] = "disabled"
    elif not subscription["autoRenewEnabled"]:
        subscription["status"] = "expired"
    elif now < renewal_completes_at(commitment_end(subscription)):
        return False
    else:
        renew(state, subscription, now)
    return True


def _charge_cycle(state: SandboxState, subscription: SubscriptionRow, now: datetime) -> bool:
    cycle = next_cycle_start(subscription)
    if cycle is None or midnight(cycle) > now:
        return False
    subscription["_sandbox"]["chargedThrough"] = cycle.isoformat()
    quantity = subscription["quantity"]
    event = LineEvent("cycleCharge", cycle, quantity, str(uuid.uuid4()), full_cycle=True)
    record_lines(state, subscription, [event], now)
    return True


def advance(state: SandboxState, subscription: SubscriptionRow, now: datetime) -> bool:
    """Bring one subscription up to `now`; True when its term ended (renewed or expired)."""
    changed = False
    while subscription["status"] in LIVE:
        if _charge_cycle(state, subscription, now):
            continue
        term_over = renewal_starts_at(commitment_end(subscription)) <= now
        if not (term_over and next_cycle_start(subscription) is None):
            break
        if not _end_term(state, subscription, now):
            break
        changed = True
    return changed


def advance_subscriptions(state: SandboxState, now: datetime) -> None:
    """Time processor: cycle charges, renewals and expiries that became due."""
    for subscription in list(state.table(SUBSCRIPTIONS).values()):
        if advance(state, subscription, now):
            announce(state, subscription["customerId"], subscription["id"], None)
