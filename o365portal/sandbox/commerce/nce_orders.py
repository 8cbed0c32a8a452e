"""Carts become orders; pending orders become subscriptions (reference §6.1, §6.2).

A cart row lives in table `carts`; checkout turns its valid lines into one order per order group
(lines with the same billing cycle share a group), each `pending` with a 12-hex id. A time
processor completes an order PROVISIONING_DELAY after its creation on the sandbox clock: it creates
the subscriptions, writes their ids on the lines, records the `new` reconciliation lines, the
`create_order` audit record and the `subscription-updated` webhooks.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from o365portal.sandbox.billing.recon_lines import LineEvent, record_lines
from o365portal.sandbox.commerce.catalog_data import Catalog, load_catalog
from o365portal.sandbox.commerce.nce_cart import (
    LineError,
    PricedLine,
    active_base_products,
    base_products_in_cart,
    price_line,
    pricing,
)
from o365portal.sandbox.commerce.nce_customers import customer_country, find_customer
from o365portal.sandbox.commerce.nce_events import (
    announce,
    caller_of,
    order_created,
    remember_caller,
)
from o365portal.sandbox.commerce.nce_renewal import TermPlan
from o365portal.sandbox.commerce.nce_rules import iso, parse_iso
from o365portal.sandbox.commerce.nce_subscription import catalog_links, new_subscription, start_term
from o365portal.sandbox.core.identity import Caller
from o365portal.sandbox.core.rows import (
    ORDERS,
    SUBSCRIPTIONS,
    CartLine,
    CartRow,
    CustomerRow,
    OrderLine,
    OrderRow,
    SubscriptionRow,
)
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.wire import CIDict, link

CART_LIFETIME = timedelta(days=7)
PROVISIONING_DELAY = timedelta(seconds=10)


def customer_subscriptions(state: SandboxState, customer_id: str) -> list[SubscriptionRow]:
    """All subscription rows of one customer."""
    rows = state.table(SUBSCRIPTIONS).values()
    return [row for row in rows if row["customerId"] == customer_id]


def _line_wire(raw: CIDict, index: int, result: PricedLine | LineError, currency: str) -> CartLine:
    line: CartLine = {
        "id": raw.get("id", index),
        "catalogItemId": raw.text("catalogItemId"),
        "quantity": raw.get("quantity"),
        "currencyCode": currency,
        "billingCycle": raw.text("billingCycle").lower(),
        "termDuration": raw.text("termDuration"),
        "friendlyName": raw.text("friendlyName"),
        "participants": [],
        "provisioningContext": {},
    }
    if isinstance(result, LineError):
        line["error"] = {"errorCode": result.code, "errorDescription": result.description}
        return line
    term = result.item.term_duration
    line |= {
        "termDuration": term,
        "billingCycle": result.billing_cycle,
        "friendlyName": line["friendlyName"] or result.item.sku["title"],
        "orderGroup": result.billing_cycle,
        "pricing": pricing(result.unit_price, term, result.billing_cycle, result.quantity),
    }
    return line


def _group_ids(lines: list[CartLine]) -> None:
    groups: dict[str, str] = {}
    for line in lines:
        if "orderGroup" in line:
            line["orderGroup"] = groups.setdefault(line["orderGroup"], str(len(groups)))


def priced_lines(
    state: SandboxState, customer: CustomerRow, raw_lines: list[CIDict], now: datetime
) -> list[CartLine]:
    """Validate and price every line of a cart (errors stay on their lines)."""
    catalog = load_catalog()
    currency = catalog.currency_of(customer_country(customer))
    bases = active_base_products(customer_subscriptions(state, customer["id"]))
    bases |= base_products_in_cart(catalog, raw_lines)
    lines = []
    for index, raw in enumerate(raw_lines):
        try:
            result: PricedLine | LineError = price_line(
                catalog, raw, currency=currency, base_products=bases, day=now.date()
            )
        except LineError as error:
            result = error
        lines.append(_line_wire(raw, index, result, currency or ""))
    _group_ids(lines)
    return lines


def new_cart(customer_id: str, lines: list[CartLine], who: Caller, now: datetime) -> CartRow:
    """A cart row (status Active, expiring 7 days after creation)."""
    cart_id = str(uuid.uuid4())
    return {
        "id": cart_id,
        "creationTimestamp": iso(now),
        "lastModifiedTimestamp": iso(now),
        "expirationTimestamp": iso(now + CART_LIFETIME),
        "lastModifiedUser": str(uuid.uuid5(uuid.NAMESPACE_DNS, who.user_principal_name or "app")),
        "lineItems": lines,
        "status": "Active",
        "links": {"self": link(f"/customers/{customer_id}/carts/{cart_id}")},
        "attributes": {"objectType": "Cart"},
        "customerId": customer_id,
        "_sandbox": {},
    }


def cart_expired(cart: CartRow, now: datetime) -> bool:
    """True once an unordered cart passed its expiration timestamp."""
    return cart["status"] == "Active" and parse_iso(cart["expirationTimestamp"]) <= now


def _order_line(number: int, line: CartLine, catalog: Catalog, country: str) -> OrderLine:
    item = catalog.item(line["catalogItemId"])
    assert item is not None
    return {
        "lineItemNumber": number,
        "offerId": line["catalogItemId"],
        "termDuration": line["termDuration"],
        "transactionType": "New",
        "friendlyName": line["friendlyName"],
        "quantity": line["quantity"],
        "pricing": line["pricing"],
        "links": catalog_links(item.catalog_item_id, country),
    }


def new_order(customer: CustomerRow, lines: list[CartLine], who: Caller, now: datetime) -> OrderRow:
    """A pending order for the lines of one order group."""
    catalog = load_catalog()
    order_id, customer_id = secrets.token_hex(6), customer["id"]
    currency, country = lines[0]["currencyCode"], customer_country(customer)
    base = f"/customers/{customer_id}/orders/{order_id}"
    total = sum(Decimal(str(line["pricing"]["extendedPrice"])) for line in lines)
    return {
        "id": order_id,
        "alternateId": order_id,
        "referenceCustomerId": customer_id,
        "billingCycle": lines[0]["billingCycle"],
        "currencyCode": currency,
        "currencySymbol": catalog.currency_symbol(currency),
        "lineItems": [_order_line(n, line, catalog, country) for n, line in enumerate(lines)],
        "creationDate": iso(now),
        "status": "pending",
        "transactionType": "UserPurchase",
        "links": {
            "self": link(base),
            "provisioningStatus": link(f"{base}/provisioningstatus"),
            "patchOperation": link(base, "PATCH"),
        },
        "totalPrice": float(total),
        "client": {},
        "attributes": {"objectType": "Order"},
        "customerId": customer_id,
        "_sandbox": {"caller": remember_caller(who), "country": country},
    }


def place_orders(state: SandboxState, cart: CartRow, who: Caller, now: datetime) -> dict[str, Any]:
    """Create the orders of a checked-out cart and return the CartCheckoutResult."""
    groups: dict[str, list[CartLine]] = {}
    for line in cart["lineItems"]:
        groups.setdefault(line["orderGroup"], []).append(line)
    customer = find_customer(state, cart["customerId"])
    orders = [new_order(customer, lines, who, now) for lines in groups.values()]
    for order in orders:
        state.table(ORDERS)[order["id"]] = order
    return {
        "orders": [order_wire(order) for order in orders],
        "orderErrors": [],
        "attributes": {"objectType": "CartCheckoutResult"},
    }


def order_wire(order: OrderRow) -> dict[str, Any]:
    """The Order resource (sandbox-only keys dropped)."""
    return {k: v for k, v in order.items() if k != "customerId" and not k.startswith("_")}


def _provision_line(
    state: SandboxState, order: OrderRow, line: OrderLine, now: datetime
) -> SubscriptionRow:
    catalog = load_catalog()
    item = catalog.item(line["offerId"])
    assert item is not None
    purchased = parse_iso(order["creationDate"])
    subscription = new_subscription(
        subscription_id=str(uuid.uuid4()),
        customer_id=order["referenceCustomerId"],
        order_id=order["id"],
        friendly_name=line["friendlyName"],
        currency=order["currencyCode"],
        country=order["_sandbox"]["country"],
        purchased_at=purchased,
    )
    plan = TermPlan(
        item.product["id"],
        item.sku["id"],
        item.availability["id"],
        line["termDuration"],
        order["billingCycle"],
        line["quantity"],
    )
    start_term(subscription, item, plan, purchased, Decimal(str(line["pricing"]["price"])))
    state.table(SUBSCRIPTIONS)[subscription["id"]] = subscription
    line["subscriptionId"] = subscription["id"]
    line["links"]["subscription"] = link(
        f"/customers/{order['referenceCustomerId']}/subscriptions/{subscription['id']}"
    )
    event = LineEvent("new", purchased.date(), plan.quantity, str(uuid.uuid4()), full_cycle=True)
    record_lines(state, subscription, [event], now)
    return subscription


def complete_order(state: SandboxState, order: OrderRow, now: datetime) -> None:
    """Provision every line of a pending order and mark it completed."""
    created = [_provision_line(state, order, line, now) for line in order["lineItems"]]
    order["status"] = "completed"
    record = order_created(state, caller_of(order), order)
    for subscription in created:
        announce(state, order["referenceCustomerId"], subscription["id"], record["id"])


def complete_due_orders(state: SandboxState, now: datetime) -> None:
    """Time processor: complete the orders whose provisioning delay has passed."""
    for order in list(state.table(ORDERS).values()):
        if (
            order["status"] == "pending"
            and parse_iso(order["creationDate"]) + (PROVISIONING_DELAY) <= now
        ):
            complete_order(state, order, now)
