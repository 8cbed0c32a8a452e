"""The NCE catalog over HTTP: products, SKUs, availabilities, their errors."""

from __future__ import annotations

from tests.integration.sandbox_commerce.conftest import Sandbox, items, seed_customer

BASIC = "/v1/products/CFQ7TTC0LH18"


async def test_the_onlineservices_product_list_holds_the_nce_catalog(sandbox: Sandbox) -> None:
    response = await sandbox.client.get("/v1/products?country=US&targetView=OnlineServices")
    assert response.status_code == 200
    body = response.json()
    ids = {product["id"] for product in items(body)}
    assert {"CFQ7TTC0LH18", "CFQ7TTC0LFLX", "CFQ7TTC0MM8R"} <= ids
    assert body["totalCount"] == len(body["items"])
    basic = next(p for p in items(body) if p["id"] == "CFQ7TTC0LH18")
    assert basic["productType"] == {"id": "OnlineServicesNCE", "displayName": "OnlineServicesNCE"}
    assert basic["sandboxAttributes"] == {"category": "Microsoft 365", "productGroup": "Business"}
    assert basic["links"]["skus"]["uri"] == "/products/CFQ7TTC0LH18/skus?country=US"


async def test_education_products_appear_only_in_the_education_segment(sandbox: Sandbox) -> None:
    base = "/v1/products?country=US&targetView=OnlineServices&targetSegment="
    commercial = items((await sandbox.client.get(base + "commercial")).json())
    education = items((await sandbox.client.get(base + "education")).json())
    assert "CFQ7TTC0LHPL" not in {p["id"] for p in commercial}
    assert [p["id"] for p in education] == ["CFQ7TTC0LHPL"]


async def test_a_sku_carries_the_nce_dynamic_attributes(sandbox: Sandbox) -> None:
    response = await sandbox.client.get(f"{BASIC}/skus/0001?country=US")
    sku = response.json()
    assert sku["maximumQuantity"] == 300
    assert sku["supportedBillingCycles"] == ["monthly", "annual"]
    assert sku["dynamicAttributes"]["provisioningId"] == "3b555118-da6a-4418-894f-7df1e2096870"
    assert sku["dynamicAttributes"]["isAddon"] is False
    copilot = (await sandbox.client.get("/v1/products/CFQ7TTC0MM8R/skus?country=US")).json()
    attributes = items(copilot)[0]["dynamicAttributes"]
    assert attributes["isAddon"] is True
    assert "CFQ7TTC0LFLX:0001" in attributes["prerequisiteSkus"]


async def test_availabilities_give_catalog_item_ids_terms_and_local_prices(
    sandbox: Sandbox,
) -> None:
    response = await sandbox.client.get(f"{BASIC}/skus/0001/availabilities?country=DE")
    availabilities = items(response.json())
    annual = next(a for a in availabilities if a["terms"][0]["duration"] == "P1Y")
    assert annual["catalogItemId"] == "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
    assert annual["defaultCurrency"]["code"] == "EUR"
    assert {t["billingCycle"] for t in annual["terms"]} == {"monthly", "annual"}
    refund = annual["terms"][0]["cancellationPolicies"][0]["refundOptions"]
    assert [option["type"] for option in refund] == ["Full", "Partial"]
    one = await sandbox.client.get(f"{BASIC}/skus/0001/availabilities/CFQ7TTC0K971?country=US")
    assert one.json()["id"] == "CFQ7TTC0K971"


async def test_unknown_catalog_ids_answer_the_documented_404_codes(sandbox: Sandbox) -> None:
    cases = {
        "/v1/products/CFQ7TTC0XXXX?country=US": 400013,
        f"{BASIC}/skus/9999?country=US": 400018,
        f"{BASIC}/skus/0001/availabilities/CFQ7TTC0ZZZZ?country=US": 400019,
    }
    for path, code in cases.items():
        response = await sandbox.client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, code)


async def test_other_target_views_and_segments_are_refused(sandbox: Sandbox) -> None:
    azure = await sandbox.client.get("/v1/products?country=US&targetView=Azure")
    assert (azure.status_code, azure.json()["code"]) == (403, 400036)
    odd = await sandbox.client.get(
        "/v1/products?country=US&targetView=OnlineServices&targetSegment=space"
    )
    assert (odd.status_code, odd.json()["code"]) == (403, 400030)
    missing = await sandbox.client.get("/v1/products?targetView=OnlineServices")
    assert missing.status_code == 400


async def test_customer_scoped_catalog_uses_the_customers_country(sandbox: Sandbox) -> None:
    customer = seed_customer(sandbox.state, country="GB")
    base = f"/v1/customers/{customer}/products/CFQ7TTC0LH18/skus/0001/availabilities"
    response = await sandbox.client.get(base)
    assert response.status_code == 200
    assert items(response.json())[0]["defaultCurrency"]["code"] == "GBP"


async def test_the_catalog_needs_a_bearer_token(sandbox: Sandbox) -> None:
    response = await sandbox.client.get(
        "/v1/products?country=US&targetView=OnlineServices", headers={"Authorization": ""}
    )
    assert response.status_code == 401
