"""Carts, checkout and orders over HTTP: line errors, idempotency, MCA, provisioning delay."""

from __future__ import annotations

import asyncio

from tests.integration.sandbox_commerce.conftest import (
    BASIC_P1Y,
    Sandbox,
    buy,
    items,
    line,
    seed_customer,
)

COPILOT_P1Y = "CFQ7TTC0MM8R:0002:{}"


async def _cart(sandbox: Sandbox, customer: str, *lines: dict) -> dict:
    response = await sandbox.client.post(
        f"/v1/customers/{customer}/carts", json={"lineItems": list(lines)}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _copilot_item(sandbox: Sandbox) -> str:
    listing = await sandbox.client.get(
        "/v1/products/CFQ7TTC0MM8R/skus/0002/availabilities?country=US"
    )
    return items(listing.json())[0]["catalogItemId"]


async def test_a_cart_prices_its_lines_in_the_customers_currency(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line(quantity=2))
    assert cart["status"] == "Active"
    assert cart["expirationTimestamp"].startswith("2026-03-17T09:30:00")
    priced = cart["lineItems"][0]
    assert priced["currencyCode"] == "USD"
    assert priced["orderGroup"] == "0"
    # Business Basic P1Y monthly billing: 6.30 from 2025-04-01; 12 cycles x 2 seats.
    assert priced["pricing"]["price"] == 6.3
    assert priced["pricing"]["extendedPrice"] == 151.2
    assert "error" not in priced


async def test_broken_cart_lines_carry_their_error_inside_the_cart(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    copilot = await _copilot_item(sandbox)
    cart = await _cart(
        sandbox,
        customer,
        line("CFQ7TTC0LH18:0001:CFQ7TTC0ZZZZ"),
        line(quantity=301),
        line(billing_cycle="triennial"),
        line(billing_cycle="weekly"),
    )
    codes = [entry["error"]["errorCode"] for entry in cart["lineItems"]]
    assert codes == [10001, 900275, 900270, 900269]
    alone = await _cart(sandbox, customer, line(copilot, quantity=1))
    assert alone["lineItems"][0]["error"]["errorCode"] == 400041


async def test_an_add_on_is_purchasable_with_its_base_in_the_same_cart(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    copilot = await _copilot_item(sandbox)
    cart = await _cart(
        sandbox, customer, line("CFQ7TTC0LFLX:0001:" + (await _e3(sandbox))), line(copilot, 1)
    )
    assert all("error" not in entry for entry in cart["lineItems"])


async def _e3(sandbox: Sandbox) -> str:
    listing = await sandbox.client.get(
        "/v1/products/CFQ7TTC0LFLX/skus/0001/availabilities?country=US"
    )
    return next(a["id"] for a in items(listing.json()) if a["terms"][0]["duration"] == "P1Y")


async def test_an_add_on_is_purchasable_when_the_tenant_has_an_active_base(
    sandbox: Sandbox,
) -> None:
    customer = seed_customer(sandbox.state)
    await buy(sandbox, customer, line())
    copilot = await _copilot_item(sandbox)
    cart = await _cart(sandbox, customer, line(copilot, 1))
    assert "error" not in cart["lineItems"][0]


async def test_an_order_stays_pending_until_provisioning_finishes(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line())
    result = await sandbox.client.post(f"/v1/customers/{customer}/carts/{cart['id']}/checkout")
    assert result.status_code == 201
    order = result.json()["orders"][0]
    assert order["status"] == "pending"
    assert len(order["id"]) == 12 and int(order["id"], 16) >= 0
    assert "subscriptionId" not in order["lineItems"][0]
    subscriptions = await sandbox.client.get(f"/v1/customers/{customer}/subscriptions")
    assert subscriptions.json()["totalCount"] == 0
    await sandbox.advance("PT10S")
    completed = (await sandbox.client.get(f"/v1/customers/{customer}/orders/{order['id']}")).json()
    assert completed["status"] == "completed"
    subscription_id = completed["lineItems"][0]["subscriptionId"]
    listing = items((await sandbox.client.get(f"/v1/customers/{customer}/subscriptions")).json())
    assert [s["id"] for s in listing] == [subscription_id]
    assert listing[0]["offerId"] == BASIC_P1Y
    assert listing[0]["commitmentEndDate"] == "2027-03-09T00:00:00Z"


async def test_checking_out_twice_returns_the_same_orders(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line())
    url = f"/v1/customers/{customer}/carts/{cart['id']}/checkout"
    first = await sandbox.client.post(url)
    second = await sandbox.client.post(url)
    assert second.status_code == 201
    assert second.json() == first.json()
    orders = await sandbox.client.get(f"/v1/customers/{customer}/orders")
    assert orders.json()["totalCount"] == 1


async def test_a_concurrent_checkout_of_the_same_cart_gets_409(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line())
    url = f"/v1/customers/{customer}/carts/{cart['id']}/checkout"
    first, second = await asyncio.gather(sandbox.client.post(url), sandbox.client.post(url))
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [201, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["code"] == 800064


async def test_without_the_customer_agreement_checkout_is_refused_13605(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, mca=False)
    cart = await _cart(sandbox, customer, line())
    response = await sandbox.client.post(f"/v1/customers/{customer}/carts/{cart['id']}/checkout")
    assert (response.status_code, response.json()["code"]) == (403, 13605)


async def test_a_cart_expires_after_seven_days_on_the_sandbox_clock(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line())
    await sandbox.advance("P7D")
    response = await sandbox.client.get(f"/v1/customers/{customer}/carts/{cart['id']}")
    assert (response.status_code, response.json()["code"]) == (404, 800008)


async def test_a_cart_with_line_errors_cannot_be_checked_out(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line(quantity=0))
    response = await sandbox.client.post(f"/v1/customers/{customer}/carts/{cart['id']}/checkout")
    assert (response.status_code, response.json()["code"]) == (400, 800009)


async def test_a_cart_can_be_replaced_before_checkout(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    cart = await _cart(sandbox, customer, line(quantity=0))
    url = f"/v1/customers/{customer}/carts/{cart['id']}"
    updated = await sandbox.client.put(url, json={"lineItems": [line(quantity=3)]})
    assert updated.status_code == 200
    assert "error" not in updated.json()["lineItems"][0]


async def test_order_provisioning_status_needs_an_app_user_token(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    await buy(sandbox, customer, line())
    order = items((await sandbox.client.get(f"/v1/customers/{customer}/orders")).json())[0]
    url = f"/v1/customers/{customer}/orders/{order['id']}/provisioningstatus"
    status = await sandbox.client.get(url)
    assert items(status.json())[0]["status"] == "Fulfilled"
    app_only = await sandbox.client.get(
        url, headers={"Authorization": f"Bearer {sandbox.app_only_token}"}
    )
    assert (app_only.status_code, app_only.json()["code"]) == (403, 900329)


async def test_creating_an_order_writes_a_create_order_audit_record(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state)
    [subscription] = await buy(sandbox, customer, line())
    records = [
        r
        for r in sandbox.state.table("auditRecords").values()
        if r["operationType"] == "create_order"
    ]
    data = {entry["key"]: entry["value"] for entry in records[0]["customizedData"]}
    assert data["SubscriptionId-0"] == subscription["id"]
    assert data["OfferId-0"] == BASIC_P1Y
    assert data["Quantity-0"] == "10"
