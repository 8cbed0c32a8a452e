"""Correlation ids: one per logical operation; a purchase is one operation."""

from __future__ import annotations

import json

from o365portal.partner_center.models import CartLineItem
from tests.unit.partner_center.fakes import ScriptedPartnerCenter, harness, pc_error, reply

CART = {"id": "cart1", "status": "Active", "lineItems": []}
CHECKOUT = {"orders": [{"id": "a68736758d9c", "status": "pending"}], "orderErrors": []}
LINE = CartLineItem(
    catalog_item_id="CFQ7TTC0LH18:0001:CFQ7TTC0K971",
    quantity=5,
    billing_cycle="monthly",
    term_duration="P1Y",
)


async def test_calls_outside_an_operation_each_get_their_own_correlation_id(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, {"id": "c1"}))
    h = harness(server)
    await h.client.customers.get("c1")
    await h.client.customers.get("c1")
    first, second = server.headers("MS-CorrelationId")
    assert first != second


async def test_calls_inside_an_operation_share_its_correlation_id_but_not_request_ids(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, {"id": "c1"}))
    h = harness(server)
    with h.client.operation() as correlation_id:
        await h.client.customers.get("c1")
        await h.client.customers.get("c1")
    assert server.headers("MS-CorrelationId") == [correlation_id, correlation_id]
    assert len(set(server.headers("MS-RequestId"))) == 2


async def test_a_purchase_sends_cart_and_checkout_under_one_correlation_id(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("POST", "/v1/customers/c1/carts", reply(201, CART))
    server.on("POST", "/v1/customers/c1/carts/cart1/checkout", reply(201, CHECKOUT))
    h = harness(server)
    result = await h.client.orders.purchase("c1", [LINE, LINE])
    assert result.orders[0].id == "a68736758d9c"
    cart_call, checkout_call = server.requests
    assert cart_call.headers["MS-CorrelationId"] == checkout_call.headers["MS-CorrelationId"]
    assert cart_call.headers["MS-RequestId"] != checkout_call.headers["MS-RequestId"]
    sent = json.loads(cart_call.content)
    assert [line["id"] for line in sent["lineItems"]] == [0, 1]
    assert sent["lineItems"][0]["catalogItemId"] == LINE.catalog_item_id
    assert sent["lineItems"][0]["billingCycle"] == "monthly"


async def test_a_purchase_waits_for_a_checkout_still_in_progress_and_asks_again(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("POST", "/v1/customers/c1/carts", reply(201, CART))
    server.on(
        "POST",
        "/v1/customers/c1/carts/cart1/checkout",
        pc_error(409, 800064, "Cart cart1 is being processed by another request"),
        reply(201, CHECKOUT),
    )
    h = harness(server)
    result = await h.client.orders.purchase("c1", [LINE], in_progress_wait=3)
    assert [order.id for order in result.orders] == ["a68736758d9c"]
    assert h.sleep.waits == [3]


async def test_a_purchase_inside_a_larger_operation_joins_its_correlation_id(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, {"id": "c1"}))
    server.on("POST", "/v1/customers/c1/carts", reply(201, CART))
    server.on("POST", "/v1/customers/c1/carts/cart1/checkout", reply(201, CHECKOUT))
    h = harness(server)
    with h.client.operation("onboarding-42"):
        await h.client.customers.get("c1")
        await h.client.orders.purchase("c1", [LINE])
    assert server.headers("MS-CorrelationId") == ["onboarding-42"] * 3
