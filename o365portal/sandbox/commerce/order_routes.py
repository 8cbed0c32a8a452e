"""Carts, checkout and orders routes (reference §6.1, §6.2).

- `POST /v1/customers/{id}/carts` → 201 Cart (line errors inside the body), `GET`/`PUT
  .../carts/{cartId}` (404 `800008` unknown or expired after 7 days on the sandbox clock).
- `POST .../carts/{cartId}/checkout` → 201 CartCheckoutResult. Idempotent: a checked-out cart
  returns its stored result again; a checkout while another one of the same cart runs → 409
  `800064`; no Microsoft Customer Agreement → 403 `13605`; lines with errors → 400 `800009`.
- `GET /v1/customers/{id}/orders[/{orderId}]` (404 `20000`) and `.../provisioningstatus`
  (App+User). Orders stay `pending` for PROVISIONING_DELAY on the sandbox clock, then complete
  (see nce_orders.py); subscriptions appear only then.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.commerce.nce_customers import find_customer, mca_accepted
from o365portal.sandbox.commerce.nce_orders import (
    cart_expired,
    complete_due_orders,
    new_cart,
    order_wire,
    place_orders,
    priced_lines,
)
from o365portal.sandbox.commerce.nce_rules import iso
from o365portal.sandbox.core.identity import Caller, caller, sandbox_state
from o365portal.sandbox.core.rows import CARTS, ORDERS, CartRow, OrderLine, OrderRow
from o365portal.sandbox.core.state import Processor, SandboxState
from o365portal.sandbox.core.wire import CIDict, PartnerCenterError, collection, pc_json, read_body

CHECKOUT_SECONDS = 0.05  # order placement takes a moment; a second checkout meanwhile gets 409


def cart_wire(cart: CartRow) -> dict[str, Any]:
    """The Cart resource (sandbox-only keys dropped)."""
    return {k: v for k, v in cart.items() if k != "customerId" and not k.startswith("_")}


def _raw_lines(body: CIDict) -> list[CIDict]:
    lines = body.get("lineItems")
    if not isinstance(lines, list) or not lines:
        raise PartnerCenterError(400, 800002, "The cart must have at least one line item.")
    return [line if isinstance(line, CIDict) else CIDict() for line in lines]


def _cart(state: SandboxState, customer_id: str, cart_id: str) -> CartRow:
    cart = state.table(CARTS).get(cart_id)
    if cart is None or cart["customerId"] != customer_id or cart_expired(cart, state.now()):
        raise PartnerCenterError(404, 800008, f"Cart {cart_id} was not found or has expired.")
    return cart


async def create_cart(request: Request) -> Response:
    """`POST /v1/customers/{id}/carts`."""
    who = caller(request)
    body = await read_body(request)
    state = sandbox_state(request)
    with state.lock:
        customer = find_customer(state, request.path_params["customer_id"])
        now = state.now()
        lines = priced_lines(state, customer, _raw_lines(body), now)
        cart = new_cart(customer["id"], lines, who, now)
        state.table(CARTS)[cart["id"]] = cart
        return pc_json(cart_wire(cart), status=201)


async def get_cart(request: Request) -> Response:
    """`GET /v1/customers/{id}/carts/{cartId}`."""
    caller(request)
    state = sandbox_state(request)
    with state.lock:
        params = request.path_params
        return pc_json(cart_wire(_cart(state, params["customer_id"], params["cart_id"])))


async def update_cart(request: Request) -> Response:
    """`PUT /v1/customers/{id}/carts/{cartId}`: replace the line items of an active cart."""
    caller(request)
    body = await read_body(request)
    state = sandbox_state(request)
    with state.lock:
        params = request.path_params
        cart = _cart(state, params["customer_id"], params["cart_id"])
        if cart["status"] != "Active":
            raise PartnerCenterError(400, 800065, f"Can't update submitted cart {cart['id']}.")
        now = state.now()
        customer = find_customer(state, params["customer_id"])
        cart["lineItems"] = priced_lines(state, customer, _raw_lines(body), now)
        cart["lastModifiedTimestamp"] = iso(now)
        return pc_json(cart_wire(cart))


def _start_checkout(state: SandboxState, customer_id: str, cart_id: str) -> CartRow:
    cart = _cart(state, customer_id, cart_id)
    if cart["_sandbox"].get("result") is None:
        if cart["_sandbox"].get("inProgress"):
            raise PartnerCenterError(
                409, 800064, f"Cart {cart_id} is being processed by another request."
            )
        if not mca_accepted(find_customer(state, customer_id)):
            raise PartnerCenterError(
                403, 13605, "The customer must accept the Microsoft Customer Agreement first."
            )
        cart["_sandbox"]["inProgress"] = True
    return cart


def _finish_checkout(state: SandboxState, cart: CartRow, who: Caller) -> None:
    now = state.now()
    customer = find_customer(state, cart["customerId"])
    raw = [CIDict(line) for line in cart["lineItems"]]
    cart["lineItems"] = priced_lines(state, customer, raw, now)
    errors = [line["error"] for line in cart["lineItems"] if "error" in line]
    if errors:
        raise PartnerCenterError(400, 800009, "There are errors in the cart items.", errors)
    cart["_sandbox"]["result"] = place_orders(state, cart, who, now)
    cart["status"] = "Ordered"
    cart["lastModifiedTimestamp"] = iso(now)


async def checkout(request: Request) -> Response:
    """`POST /v1/customers/{id}/carts/{cartId}/checkout`."""
    who = caller(request)
    state = sandbox_state(request)
    params = request.path_params
    with state.lock:
        cart = _start_checkout(state, params["customer_id"], params["cart_id"])
        if cart["_sandbox"].get("result") is not None:
            return pc_json(cart["_sandbox"]["result"], status=201)
    try:
        await asyncio.sleep(CHECKOUT_SECONDS)
        with state.lock:
            _finish_checkout(state, cart, who)
    finally:
        with state.lock:
            cart["_sandbox"]["inProgress"] = False
    return pc_json(cart["_sandbox"]["result"], status=201)


def _order(state: SandboxState, customer_id: str, order_id: str) -> OrderRow:
    order = state.table(ORDERS).get(order_id)
    if order is None or order["referenceCustomerId"] != customer_id:
        raise PartnerCenterError(404, 20000, f"Order {order_id} was not found.")
    return order


async def list_orders(request: Request) -> Response:
    """`GET /v1/customers/{id}/orders` (whole collection)."""
    caller(request)
    state = sandbox_state(request)
    customer_id = request.path_params["customer_id"]
    with state.lock:
        find_customer(state, customer_id)
        rows = [o for o in state.table(ORDERS).values() if o["referenceCustomerId"] == customer_id]
        items = [order_wire(order) for order in sorted(rows, key=lambda o: o["creationDate"])]
    return pc_json(collection(items, f"/customers/{customer_id}/orders"))


async def get_order(request: Request) -> Response:
    """`GET /v1/customers/{id}/orders/{orderId}`."""
    caller(request)
    state = sandbox_state(request)
    with state.lock:
        params = request.path_params
        return pc_json(order_wire(_order(state, params["customer_id"], params["order_id"])))


def _line_status(order: OrderRow, line: OrderLine) -> dict[str, Any]:
    done = order["status"] == "completed"
    return {
        "lineItemNumber": line["lineItemNumber"],
        "status": "Fulfilled" if done else "PrefulfillmentPending",
        "quantityProvisioningInformation": [],
        "attributes": {"objectType": "OrderLineItemProvisioningStatus"},
    }


async def order_provisioning_status(request: Request) -> Response:
    """`GET .../orders/{orderId}/provisioningstatus` (App+User only)."""
    caller(request, app_user=True)
    state = sandbox_state(request)
    with state.lock:
        params = request.path_params
        order = _order(state, params["customer_id"], params["order_id"])
        items = [_line_status(order, line) for line in order["lineItems"]]
    uri = f"/customers/{params['customer_id']}/orders/{order['id']}/provisioningstatus"
    return pc_json(collection(items, uri))


_CUSTOMER = "/v1/customers/{customer_id}"
routes: list[BaseRoute] = [
    Route(_CUSTOMER + "/carts", create_cart, methods=["POST"]),
    Route(_CUSTOMER + "/carts/{cart_id}", get_cart, methods=["GET"]),
    Route(_CUSTOMER + "/carts/{cart_id}", update_cart, methods=["PUT"]),
    Route(_CUSTOMER + "/carts/{cart_id}/checkout", checkout, methods=["POST"]),
    Route(_CUSTOMER + "/orders", list_orders, methods=["GET"]),
    Route(_CUSTOMER + "/orders/{order_id}", get_order, methods=["GET"]),
    Route(
        _CUSTOMER + "/orders/{order_id}/provisioningstatus",
        order_provisioning_status,
        methods=["GET"],
    ),
]
PROCESSORS: list[Processor] = [complete_due_orders]
