"""NCE reconciliation lines and invoices over HTTP: the worked examples, month end, paging."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.integration.sandbox_commerce.conftest import Sandbox, buy, items, line, seed_customer

UNBILLED = (
    "/v1/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype=billinglineitems"
    "&currencycode={currency}&period={period}"
)

RECON_FIELDS = {
    "partnerId",
    "customerId",
    "customerName",
    "customerDomainName",
    "customerCountry",
    "invoiceNumber",
    "mpnId",
    "resellerMpnId",
    "orderId",
    "orderDate",
    "productId",
    "skuId",
    "availabilityId",
    "productName",
    "skuName",
    "productQualifiers",
    "chargeType",
    "unitPrice",
    "effectiveUnitPrice",
    "unitType",
    "quantity",
    "subtotal",
    "taxTotal",
    "totalForCustomer",
    "currency",
    "publisherName",
    "publisherId",
    "subscriptionDescription",
    "subscriptionId",
    "subscriptionStartDate",
    "subscriptionEndDate",
    "chargeStartDate",
    "chargeEndDate",
    "termAndBillingCycle",
    "alternateId",
    "referenceId",
    "priceAdjustmentDescription",
    "discountDetails",
    "pricingCurrency",
    "pcToBCExchangeRate",
    "pcToBCExchangeRateDate",
    "billableQuantity",
    "meterDescription",
    "billingFrequency",
    "reservationOrderId",
    "creditReasonCode",
    "promotionId",
    "invoiceLineItemType",
    "billingProvider",
    "attributes",
}


async def _p1m(sandbox: Sandbox) -> str:
    listing = await sandbox.client.get(
        "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US"
    )
    chosen = next(a for a in items(listing.json()) if a["terms"][0]["duration"] == "P1M")
    return str(chosen["catalogItemId"])


async def _unbilled(sandbox: Sandbox, currency: str = "EUR", period: str = "current") -> list:
    response = await sandbox.client.get(UNBILLED.format(currency=currency, period=period))
    assert response.status_code == 200, response.text
    return items(response.json())


async def _patch(sandbox: Sandbox, customer: str, subscription_id: str, **changes: Any) -> dict:
    url = f"/v1/customers/{customer}/subscriptions/{subscription_id}"
    current = (await sandbox.client.get(url)).json()
    response = await sandbox.client.patch(url, json={**current, **changes})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _amounts(lines: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(entry["chargeType"], entry["quantity"], entry["subtotal"]) for entry in lines]


async def test_seat_changes_give_microsofts_refund_and_charge_pairs(sandbox: Sandbox) -> None:
    # The worked example's dates (2021-06-18, change on 06-20) with Business Basic P1M in EUR
    # (6.62 a month): 6.62/30*28 = 6.17866 per seat for the rest of the cycle.
    await sandbox.set_clock(datetime(2021, 6, 18, 8, 0, tzinfo=UTC))
    customer = seed_customer(sandbox.state, country="DE")
    [subscription] = await buy(sandbox, customer, line(await _p1m(sandbox), 10, term="P1M"))
    await sandbox.set_clock(datetime(2021, 6, 20, 8, 0, tzinfo=UTC))
    await _patch(sandbox, customer, subscription["id"], quantity=12)
    await _patch(sandbox, customer, subscription["id"], quantity=8)
    lines = await _unbilled(sandbox)
    assert _amounts(lines) == [
        ("new", "10", "66.20"),
        ("addQuantity", "10", "-61.78"),
        ("addQuantity", "12", "74.14"),
        ("removeQuantity", "12", "-74.14"),
        ("removeQuantity", "8", "49.42"),
    ]
    assert lines[1]["referenceId"] == lines[2]["referenceId"] != lines[3]["referenceId"]
    assert lines[1]["effectiveUnitPrice"] == "-6.178667"
    assert lines[1]["chargeStartDate"] == "2021-06-20T00:00:00Z"
    assert lines[1]["chargeEndDate"] == "2021-07-17T00:00:00Z"
    assert lines[0]["attributes"] == {"objectType": "OneTimeInvoiceLineItem"}
    assert lines[0]["invoiceNumber"] == ""
    assert set(lines[0]) >= RECON_FIELDS


async def test_cancelling_on_day_three_refunds_the_unused_29_days(sandbox: Sandbox) -> None:
    await sandbox.set_clock(datetime(2021, 7, 15, 8, 0, tzinfo=UTC))
    customer = seed_customer(sandbox.state, country="DE")
    [subscription] = await buy(sandbox, customer, line(await _p1m(sandbox), 10, term="P1M"))
    await sandbox.set_clock(datetime(2021, 7, 17, 8, 0, tzinfo=UTC))
    await _patch(sandbox, customer, subscription["id"], status="deleted")
    # 6.62/31*29 = 6.1929 -> 6.19 in cents (as Microsoft's cancellation line), x 10 = 61.90.
    assert _amounts(await _unbilled(sandbox)) == [
        ("new", "10", "66.20"),
        ("cancelImmediate", "10", "-61.90"),
    ]


async def test_cancelling_within_24_hours_refunds_everything(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="DE")
    [subscription] = await buy(sandbox, customer, line(await _p1m(sandbox), 10, term="P1M"))
    await sandbox.advance("PT20H")
    await _patch(sandbox, customer, subscription["id"], status="deleted")
    lines = await _unbilled(sandbox)
    assert lines[1]["subtotal"] == "-" + lines[0]["subtotal"]


async def test_an_annual_upfront_purchase_is_one_line_for_the_year(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="US")
    await buy(sandbox, customer, line(quantity=10, billing_cycle="annual"))
    [purchase] = await _unbilled(sandbox, "USD")
    # Business Basic P1Y annual: 6.00 a month (2022 price) -> 72.00 a year, 10 seats.
    assert (purchase["unitPrice"], purchase["subtotal"]) == ("72.00", "720.00")
    assert purchase["chargeEndDate"] == "2027-03-09T00:00:00Z"
    assert purchase["billingFrequency"] == "Annual"


async def test_annual_monthly_billing_charges_each_new_cycle(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="US")
    await buy(sandbox, customer, line(quantity=10))
    await sandbox.set_clock(datetime(2026, 5, 10, 0, 0, tzinfo=UTC))
    current = await _unbilled(sandbox, "USD")
    previous = await _unbilled(sandbox, "USD", "previous")
    assert _amounts(current) == [("cycleCharge", "10", "63.00")]
    assert current[0]["chargeStartDate"] == "2026-05-10T00:00:00Z"
    assert _amounts(previous) == [("cycleCharge", "10", "63.00")]


async def test_the_month_end_issues_an_invoice_with_that_months_lines(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="US")
    await buy(sandbox, customer, line(quantity=10))
    await sandbox.set_clock(datetime(2026, 4, 1, 0, 0, 5, tzinfo=UTC))
    invoices = (await sandbox.client.get("/v1/invoices")).json()
    [invoice] = items(invoices)
    assert invoice["billingPeriodStartDate"] == "2026-03-01T00:00:00Z"
    assert invoice["totalCharges"] == 63.0
    assert invoice["currencyCode"] == "USD"
    billed = await sandbox.client.get(
        f"/v1/invoices/{invoice['id']}/lineitems?provider=onetime"
        "&invoicelineitemtype=billinglineitems&size=10"
    )
    [charged] = items(billed.json())
    assert (charged["chargeType"], charged["invoiceNumber"]) == ("new", invoice["id"])
    assert (await sandbox.client.get(f"/v1/invoices/{invoice['id']}")).status_code == 200
    assert await _unbilled(sandbox, "USD") == []


async def test_recon_lines_page_with_continuation_tokens(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="US")
    await buy(sandbox, customer, *[line(quantity=n) for n in range(1, 6)])
    url = UNBILLED.format(currency="USD", period="current") + "&size=2"
    seen: list[str] = []
    page = (await sandbox.client.get(url)).json()
    while True:
        seen += [entry["quantity"] for entry in page["items"]]
        following = page["links"].get("next")
        if following is None:
            break
        headers = {h["key"]: h["value"] for h in following["headers"]}
        response = await sandbox.client.get("/v1" + following["uri"], headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
    assert sorted(seen) == ["1", "2", "3", "4", "5"]
    past_end = await sandbox.client.get(
        url + "&seekOperation=Next", headers={"MS-ContinuationToken": "eyJvZmZzZXQiOiA5fQ"}
    )
    assert (past_end.status_code, past_end.json()["code"]) == (400, 2000)


async def test_invoices_page_by_offset(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="US")
    await buy(sandbox, customer, line(quantity=10))
    await sandbox.set_clock(datetime(2026, 7, 1, 0, 0, tzinfo=UTC))
    first = (await sandbox.client.get("/v1/invoices?size=2&offset=0")).json()
    assert first["totalCount"] == 4
    assert first["links"]["next"]["uri"] == "/invoices?size=2&offset=2"
    second = (await sandbox.client.get("/v1" + first["links"]["next"]["uri"])).json()
    assert len(second["items"]) == 2
    assert "next" not in second["links"]


async def test_unbilled_requests_need_the_onetime_provider(sandbox: Sandbox) -> None:
    response = await sandbox.client.get(
        "/v1/invoices/unbilled/lineitems?provider=office&invoicelineitemtype=billinglineitems"
        "&currencycode=USD&period=current"
    )
    assert (response.status_code, response.json()["code"]) == (400, 2000)
