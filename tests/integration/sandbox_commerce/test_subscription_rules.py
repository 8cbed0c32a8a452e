"""Subscription PATCHes under the NCE rules, renewal and expiry, over HTTP on the sandbox clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from tests.integration.sandbox_commerce.conftest import Sandbox, buy, items, line, seed_customer


async def _bought(sandbox: Sandbox, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    customer = seed_customer(sandbox.state)
    [subscription] = await buy(sandbox, customer, line(**kwargs))
    return customer, subscription


async def _patch(
    sandbox: Sandbox, customer: str, subscription: dict[str, Any], **changes: Any
) -> httpx.Response:
    body = {**subscription, **changes}
    return await sandbox.client.patch(
        f"/v1/customers/{customer}/subscriptions/{subscription['id']}", json=body
    )


async def test_each_seat_addition_opens_its_own_reduction_window(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    await sandbox.advance("P3D")
    added = await _patch(sandbox, customer, subscription, quantity=12, autoRenewEnabled=True)
    assert added.status_code == 200, added.text
    details = added.json()["refundableQuantity"]["details"]
    assert [lot["quantity"] for lot in details] == [10, 2]
    assert details[0]["allowedUntilDateTime"].startswith("2026-03-17T09:30:00")
    assert details[1]["allowedUntilDateTime"].startswith("2026-03-20T09:30:10")
    await sandbox.advance("P5D")  # first lot's window closed, second still open
    current = added.json()
    too_many = await _patch(sandbox, customer, current, quantity=9, autoRenewEnabled=True)
    assert (too_many.status_code, too_many.json()["code"]) == (400, 800090)
    allowed = await _patch(sandbox, customer, current, quantity=10, autoRenewEnabled=True)
    assert allowed.status_code == 200
    assert allowed.json()["refundableQuantity"] == {"totalQuantity": 0, "details": []}


async def test_a_patch_without_auto_renew_turns_it_off(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    body = {"quantity": 11}
    response = await sandbox.client.patch(
        f"/v1/customers/{customer}/subscriptions/{subscription['id']}", json=body
    )
    assert response.json()["autoRenewEnabled"] is False
    assert response.json()["quantity"] == 11


async def test_every_change_writes_an_update_subscription_audit_record(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    await _patch(sandbox, customer, subscription, friendlyName="Sales team")
    records = [
        r
        for r in sandbox.state.table("auditRecords").values()
        if r["operationType"] == "update_subscription"
    ]
    data = {entry["key"]: entry["value"] for entry in records[-1]["customizedData"]}
    assert data["SubscriptionId"] == subscription["id"]
    assert data["SubscriptionName"] == "Sales team"
    assert set(data) == {
        "SubscriptionId",
        "OfferId",
        "SubscriptionName",
        "Quantity",
        "Status",
        "PartnerOnRecord",
        "ActionTaken",
    }


async def test_cancellation_is_allowed_only_within_168_hours(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    await sandbox.advance("P7D")
    late = await _patch(sandbox, customer, subscription, status="deleted")
    assert (late.status_code, late.json()["code"]) == (400, 900213)

    customer, subscription = await _bought(sandbox)
    await sandbox.advance("P6D")
    cancelled = await _patch(sandbox, customer, subscription, status="deleted")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "deleted"
    again = await _patch(sandbox, customer, cancelled.json(), friendlyName="x")
    assert (again.status_code, again.json()["code"]) == (400, 2011)


async def test_suspension_turns_auto_renew_off_and_freezes_the_quantity(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    scheduled = await _patch(
        sandbox,
        customer,
        subscription,
        autoRenewEnabled=True,
        scheduledNextTermInstructions={"product": {"billingCycle": "annual"}, "quantity": 5},
    )
    assert scheduled.json()["scheduledNextTermInstructions"]["quantity"] == 5
    suspended = await _patch(sandbox, customer, scheduled.json(), status="suspended")
    body = suspended.json()
    assert (body["status"], body["autoRenewEnabled"]) == ("suspended", False)
    assert "scheduledNextTermInstructions" not in body
    quantity = await _patch(sandbox, customer, body, quantity=11)
    assert (quantity.status_code, quantity.json()["code"]) == (400, 2001)
    renew = await _patch(sandbox, customer, body, autoRenewEnabled=True)
    assert (renew.status_code, renew.json()["code"]) == (400, 800091)
    active = await _patch(sandbox, customer, body, status="active", autoRenewEnabled=True)
    assert active.json()["status"] == "active"


async def test_quantity_outside_the_sku_limits_is_refused(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    response = await _patch(sandbox, customer, subscription, quantity=301)
    assert (response.status_code, response.json()["code"]) == (400, 2002)


async def test_renewal_applies_the_scheduled_changes_and_reprices(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    await _patch(
        sandbox,
        customer,
        subscription,
        autoRenewEnabled=True,
        scheduledNextTermInstructions={
            "product": {"productId": "CFQ7TTC0LH18", "skuId": "0001", "billingCycle": "Annual"},
            "quantity": 7,
        },
    )
    await sandbox.set_clock(datetime(2027, 3, 10, 1, 0, tzinfo=UTC))
    url = f"/v1/customers/{customer}/subscriptions/{subscription['id']}"
    renewed = (await sandbox.client.get(url)).json()
    assert renewed["quantity"] == 7
    assert renewed["billingCycle"] == "annual"
    assert renewed["commitmentEndDate"] == "2028-03-09T00:00:00Z"
    assert "scheduledNextTermInstructions" not in renewed
    assert renewed["refundableQuantity"]["details"] == [
        {"quantity": 7, "allowedUntilDateTime": "2027-03-17T01:00:00.0000000Z"}
    ]
    renew_lines = [
        line
        for line in sandbox.state.table("reconLineItems").values()
        if line["chargeType"] == "renew"
    ]
    # Business Basic P1Y annual is 7.00 a month from 2026-07-01: 84.00 a year, 7 seats.
    assert [(r["unitPrice"], r["subtotal"]) for r in renew_lines] == [("84.00", "588.00")]


async def test_a_patch_during_renewal_processing_gets_409(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    await sandbox.set_clock(datetime(2027, 3, 10, 0, 30, tzinfo=UTC))
    busy = await _patch(sandbox, customer, subscription, autoRenewEnabled=True)
    assert (busy.status_code, busy.json()["code"]) == (409, 800082)
    await sandbox.set_clock(datetime(2027, 3, 10, 1, 0, tzinfo=UTC))
    url = f"/v1/customers/{customer}/subscriptions/{subscription['id']}"
    current = (await sandbox.client.get(url)).json()
    done = await _patch(sandbox, customer, current, autoRenewEnabled=True)
    assert done.status_code == 200


async def test_without_auto_renew_the_subscription_expires_at_term_end(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox, term="P1M", catalog_item_id=await _p1m(sandbox))
    await _patch(sandbox, customer, subscription, autoRenewEnabled=False)
    await sandbox.set_clock(datetime(2026, 4, 10, 0, 0, tzinfo=UTC))
    url = f"/v1/customers/{customer}/subscriptions/{subscription['id']}"
    assert (await sandbox.client.get(url)).json()["status"] == "expired"


async def test_a_monthly_term_renews_every_month(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox, term="P1M", catalog_item_id=await _p1m(sandbox))
    await sandbox.set_clock(datetime(2026, 5, 10, 2, 0, tzinfo=UTC))
    url = f"/v1/customers/{customer}/subscriptions/{subscription['id']}"
    renewed = (await sandbox.client.get(url)).json()
    assert renewed["status"] == "active"
    assert renewed["commitmentEndDate"] == "2026-06-09T00:00:00Z"


async def test_subscription_provisioning_status_and_addons(sandbox: Sandbox) -> None:
    customer, subscription = await _bought(sandbox)
    url = f"/v1/customers/{customer}/subscriptions/{subscription['id']}"
    status = (await sandbox.client.get(url + "/provisioningstatus")).json()
    assert status["skuId"] == "3b555118-da6a-4418-894f-7df1e2096870"
    assert status["status"] == "success"
    assert items((await sandbox.client.get(url + "/addons")).json()) == []


async def _p1m(sandbox: Sandbox) -> str:
    listing = await sandbox.client.get(
        "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US"
    )
    return next(a for a in items(listing.json()) if a["terms"][0]["duration"] == "P1M")[
        "catalogItemId"
    ]
