"""Subscription routes (reference §7.1–§7.4) and the time processor that renews them.

- `GET /v1/customers/{id}/subscriptions[?order_id=]`: whole collection (no paging).
- `GET .../subscriptions/{sid}` (404 `20003`), `PATCH` (nce_patch.py: full-resource semantics and
  the NCE rules; each change writes an `update_subscription` audit record and sends the
  `subscription-updated` webhook), `.../addons` (the customer's add-on subscriptions whose
  prerequisites include this one's product: NCE add-ons are separate subscriptions), and
  `.../provisioningstatus` (App+User).
- Processor: cycle charges, renewals, expiries as the sandbox clock moves (nce_lifecycle.py).
"""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.commerce.catalog_data import load_catalog
from o365portal.sandbox.commerce.nce_customers import find_customer
from o365portal.sandbox.commerce.nce_events import subscription_changed
from o365portal.sandbox.commerce.nce_lifecycle import advance_subscriptions
from o365portal.sandbox.commerce.nce_orders import customer_subscriptions
from o365portal.sandbox.commerce.nce_patch import apply_patch, read_patch
from o365portal.sandbox.commerce.nce_rules import NceRuleError
from o365portal.sandbox.commerce.nce_subscription import subscription_wire
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.rows import SUBSCRIPTIONS, SubscriptionRow
from o365portal.sandbox.core.state import Processor, SandboxState
from o365portal.sandbox.core.wire import PartnerCenterError, collection, pc_json, read_body


def _subscription(state: SandboxState, customer_id: str, subscription_id: str) -> SubscriptionRow:
    row = state.table(SUBSCRIPTIONS).get(subscription_id)
    if row is None or row["customerId"] != customer_id:
        raise PartnerCenterError(404, 20003, f"Subscription {subscription_id} was not found.")
    return row


def _sorted(rows: list[SubscriptionRow]) -> list[SubscriptionRow]:
    return sorted(rows, key=lambda row: (row["creationDate"], row["id"]))


async def list_subscriptions(request: Request) -> Response:
    """`GET /v1/customers/{id}/subscriptions[?order_id=]`."""
    caller(request)
    state = sandbox_state(request)
    customer_id = request.path_params["customer_id"]
    order_id = request.query_params.get("order_id")
    with state.lock:
        find_customer(state, customer_id)
        now = state.now()
        rows = customer_subscriptions(state, customer_id)
        items = [
            subscription_wire(row, now)
            for row in _sorted(rows)
            if order_id is None or row["orderId"] == order_id
        ]
    return pc_json(collection(items, f"/customers/{customer_id}/subscriptions"))


async def get_subscription(request: Request) -> Response:
    """`GET /v1/customers/{id}/subscriptions/{sid}`."""
    caller(request)
    state = sandbox_state(request)
    params = request.path_params
    with state.lock:
        row = _subscription(state, params["customer_id"], params["subscription_id"])
        return pc_json(subscription_wire(row, state.now()))


async def patch_subscription(request: Request) -> Response:
    """`PATCH /v1/customers/{id}/subscriptions/{sid}` → 200 with the updated Subscription."""
    who = caller(request)
    body = await read_body(request)
    state = sandbox_state(request)
    params = request.path_params
    with state.lock:
        row = _subscription(state, params["customer_id"], params["subscription_id"])
        now = state.now()
        before = subscription_wire(row, now)
        working = copy.deepcopy(row)
        try:
            apply_patch(state, working, read_patch(body, row), now)
        except NceRuleError as refused:
            raise PartnerCenterError(refused.status, refused.code, refused.description) from None
        state.table(SUBSCRIPTIONS)[row["id"]] = working
        after = subscription_wire(working, now)
        subscription_changed(state, who, before, after, params["customer_id"])
        return pc_json(after)


async def list_addons(request: Request) -> Response:
    """`GET .../subscriptions/{sid}/addons`: add-on subscriptions that this one can carry."""
    caller(request)
    state = sandbox_state(request)
    params = request.path_params
    catalog = load_catalog()
    with state.lock:
        base = _subscription(state, params["customer_id"], params["subscription_id"])
        now = state.now()
        product_id = base["_sandbox"]["productId"]
        addons = [
            subscription_wire(row, now)
            for row in _sorted(customer_subscriptions(state, params["customer_id"]))
            if row["_sandbox"].get("isAddon")
            and product_id
            in (catalog.sku(row["_sandbox"]["productId"], row["_sandbox"]["skuId"]) or {}).get(
                "prerequisiteProductIds", []
            )
        ]
    uri = f"/customers/{params['customer_id']}/subscriptions/{base['id']}/addons"
    return pc_json(collection(addons, uri))


async def provisioning_status(request: Request) -> Response:
    """`GET .../subscriptions/{sid}/provisioningstatus` (App+User only)."""
    caller(request, app_user=True)
    state = sandbox_state(request)
    params = request.path_params
    with state.lock:
        row = _subscription(state, params["customer_id"], params["subscription_id"])
        return pc_json(
            {
                "skuId": row["provisioningSkuId"],
                "status": "success",
                "quantity": row["quantity"],
                "endDate": row["commitmentEndDate"],
                "attributes": {"objectType": "SubscriptionProvisioningStatus"},
            }
        )


_ONE = "/v1/customers/{customer_id}/subscriptions/{subscription_id}"
routes: list[BaseRoute] = [
    Route("/v1/customers/{customer_id}/subscriptions", list_subscriptions, methods=["GET"]),
    Route(_ONE, get_subscription, methods=["GET"]),
    Route(_ONE, patch_subscription, methods=["PATCH"]),
    Route(_ONE + "/addons", list_addons, methods=["GET"]),
    Route(_ONE + "/provisioningstatus", provisioning_status, methods=["GET"]),
]
PROCESSORS: list[Processor] = [advance_subscriptions]
