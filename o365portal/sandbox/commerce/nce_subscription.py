"""NCE subscription rows: creation, a new term, and the wire view (reference §7.2).

Rows live in the table `subscriptions` keyed by id. Besides the wire fields they carry, for the
core's licence routes, `customerId`, `provisioningSkuId`, `skuPartNumber` and `skuName`, and a
sandbox-only `_sandbox` dict (term start, anchor day, locked unit price and currency, seat lots,
cancellation-window start, charged cycles). `subscription_wire` drops both kinds of extras and
computes the time-dependent fields (`refundableQuantity`, `billingCycleEndDate`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from o365portal.sandbox.commerce.catalog_data import NCE_PRODUCT_TYPE, CatalogItem
from o365portal.sandbox.commerce.nce_renewal import TermPlan
from o365portal.sandbox.commerce.nce_rules import (
    FULL_REFUND,
    WINDOW,
    SeatLot,
    iso,
    parse_iso,
    refundable_quantity,
)
from o365portal.sandbox.commerce.nce_terms import charge_cycle, term_anchor_day, term_end
from o365portal.sandbox.core.rows import SubscriptionRow
from o365portal.sandbox.core.wire import link

SANDBOX_ONLY = {"customerId", "provisioningSkuId", "skuPartNumber", "skuName"}
PUBLISHER = "Microsoft Corporation"


def lots_of(subscription: SubscriptionRow) -> list[SeatLot]:
    """The seat lots of a subscription."""
    return [
        SeatLot(lot["quantity"], parse_iso(lot["allowedUntilDateTime"]))
        for lot in subscription["_sandbox"]["lots"]
    ]


def store_lots(subscription: SubscriptionRow, lots: list[SeatLot]) -> None:
    """Replace the seat lots of a subscription."""
    subscription["_sandbox"]["lots"] = [lot.as_wire() for lot in lots]


def plan_of(subscription: SubscriptionRow) -> TermPlan:
    """The current term's plan."""
    extra = subscription["_sandbox"]
    return TermPlan(
        extra["productId"],
        extra["skuId"],
        extra["availabilityId"],
        subscription["termDuration"],
        subscription["billingCycle"],
        subscription["quantity"],
    )


def start_term(
    subscription: SubscriptionRow,
    item: CatalogItem,
    plan: TermPlan,
    starts: datetime,
    unit_price: Decimal,
) -> None:
    """Put a subscription on a (first or renewed) term that starts at `starts`."""
    extra = subscription["_sandbox"]
    term_start = starts.date()
    extra["anchorDay"] = term_anchor_day(
        term_start, plan.term_duration, plan.billing_cycle, extra["purchaseDay"]
    )
    end = term_end(term_start, plan.term_duration, extra["anchorDay"])
    extra.update(
        {
            "productId": item.product["id"],
            "skuId": item.sku["id"],
            "availabilityId": item.availability["id"],
            "productName": item.product["title"],
            "isAddon": item.sku["isAddon"],
            "minimumQuantity": item.sku["minimumQuantity"],
            "maximumQuantity": item.sku["maximumQuantity"],
            "termStart": term_start.isoformat(),
            "windowStart": iso(starts),
            "unitPrice": str(unit_price),
            "chargedThrough": term_start.isoformat(),
            "lots": [SeatLot(plan.quantity, starts + WINDOW).as_wire()],
        }
    )
    subscription.update(
        {
            "offerId": item.catalog_item_id,
            "offerName": item.sku["title"],
            "quantity": plan.quantity,
            "termDuration": plan.term_duration,
            "billingCycle": plan.billing_cycle,
            "effectiveStartDate": iso(starts),
            "commitmentEndDate": f"{end.isoformat()}T00:00:00Z",
            "commitmentEndDateTime": f"{end.isoformat()}T23:59:59Z",
            "cancellationAllowedUntilDate": iso(starts + WINDOW),
            "provisioningSkuId": item.sku["provisioningId"],
            "skuPartNumber": item.sku["skuPartNumber"],
            "skuName": item.sku["title"],
        }
    )
    subscription.pop("scheduledNextTermInstructions", None)


def new_subscription(
    *,
    subscription_id: str,
    customer_id: str,
    order_id: str,
    friendly_name: str,
    currency: str,
    country: str,
    purchased_at: datetime,
) -> SubscriptionRow:
    """A subscription row without a term yet (call `start_term` next)."""
    return {
        "id": subscription_id,
        "customerId": customer_id,
        "friendlyName": friendly_name,
        "productType": dict(NCE_PRODUCT_TYPE),
        "unitType": "Licenses",
        "hasPurchasableAddons": False,
        "creationDate": iso(purchased_at),
        "status": "active",
        "autoRenewEnabled": True,
        "isTrial": False,
        "billingType": "license",
        "renewalTermDuration": "",
        "isMicrosoftProduct": True,
        "partnerId": "",
        "attentionNeeded": False,
        "actionTaken": False,
        "contractType": "subscription",
        "publisherName": PUBLISHER,
        "orderId": order_id,
        "_sandbox": {"purchaseDay": purchased_at.day, "currency": currency, "country": country},
    }


def commitment_end(subscription: SubscriptionRow) -> date:
    """The inclusive last day of the current term."""
    return date.fromisoformat(subscription["commitmentEndDate"][:10])


def window_start(subscription: SubscriptionRow) -> datetime:
    """When the current cancellation window opened (purchase or renewal completion)."""
    return parse_iso(subscription["_sandbox"]["windowStart"])


def catalog_links(catalog_item_id: str, country: str) -> dict[str, Any]:
    """`product`, `sku` and `availability` links of a catalog item in a country."""
    product_id, sku_id, availability_id = catalog_item_id.split(":")
    product = f"/products/{product_id}"
    sku = f"{product}/skus/{sku_id}"
    return {
        "product": link(f"{product}?country={country}"),
        "sku": link(f"{sku}?country={country}"),
        "availability": link(f"{sku}/availabilities/{availability_id}?country={country}"),
    }


def _links(subscription: SubscriptionRow) -> dict[str, Any]:
    country = subscription["_sandbox"]["country"]
    own = f"/customers/{subscription['customerId']}/subscriptions/{subscription['id']}"
    return {**catalog_links(subscription["offerId"], country), "self": link(own)}


def _cycle_end(subscription: SubscriptionRow, now: datetime) -> date:
    extra = subscription["_sandbox"]
    today = min(now.date(), commitment_end(subscription))
    term_start = date.fromisoformat(extra["termStart"])
    return charge_cycle(term_start, subscription["billingCycle"], extra["anchorDay"], today)[1]


def subscription_wire(subscription: SubscriptionRow, now: datetime) -> dict[str, Any]:
    """The Subscription resource as Partner Center returns it at `now`."""
    body: dict[str, Any] = {
        key: value
        for key, value in subscription.items()
        if key not in SANDBOX_ONLY and not key.startswith("_")
    }
    opened = window_start(subscription)
    cycle_end = _cycle_end(subscription, now)
    active = subscription["status"] in {"active", "suspended"}
    body.update(
        billingCycleEndDate=f"{cycle_end.isoformat()}T00:00:00Z",
        billingCycleEndDateTime=f"{cycle_end.isoformat()}T23:59:59Z",
        refundOptions=[
            {"type": "Full", "expiresAt": iso(opened + FULL_REFUND)},
            {"type": "Partial", "expiresAt": iso(opened + WINDOW)},
        ]
        if active and now < opened + WINDOW
        else [],
        refundableQuantity=refundable_quantity(lots_of(subscription), now)
        if active
        else {"totalQuantity": 0, "details": []},
        links=_links(subscription),
        attributes={"objectType": "Subscription"},
    )
    return body


def midnight(day: date) -> datetime:
    """00:00 UTC of a day."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def next_cycle_start(subscription: SubscriptionRow) -> date | None:
    """First day of the charge cycle after the last charged one, if still in the term."""
    extra = subscription["_sandbox"]
    charged = date.fromisoformat(extra["chargedThrough"])
    term_start = date.fromisoformat(extra["termStart"])
    _, last = charge_cycle(term_start, subscription["billingCycle"], extra["anchorDay"], charged)
    following = last + timedelta(days=1)
    return following if following <= commitment_end(subscription) else None
