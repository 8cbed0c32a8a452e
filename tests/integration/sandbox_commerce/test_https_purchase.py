"""A whole purchase over real HTTPS against the running sandbox, using the core's customer and
agreement routes: MCA missing → 13605, accepted → order, provisioned once the clock moves."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from tests.integration.sandbox.helpers import client_with, create_customer, user_token
from tests.integration.sandbox_commerce.conftest import BASIC_P1Y, line

MCA = {
    "primaryContact": {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"},
    "templateId": "117a77b0-9360-443b-8795-c6dedc750cf9",
    "dateAgreed": "2026-03-01T00:00:00Z",
    "type": "MicrosoftCustomerAgreement",
}


@pytest.fixture(scope="module")
def https_sandbox() -> Iterator[SandboxInfo]:
    with running_sandbox() as info:
        yield info


@pytest.fixture
def pc(https_sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    with client_with(https_sandbox, user_token(https_sandbox)) as client:
        yield client


def test_a_customer_buys_after_accepting_the_mca_and_gets_a_subscription(
    pc: httpx.Client,
) -> None:
    customer = create_customer(pc)["id"]
    cart = pc.post(f"/v1/customers/{customer}/carts", json={"lineItems": [line(quantity=3)]})
    checkout = f"/v1/customers/{customer}/carts/{cart.json()['id']}/checkout"
    refused = pc.post(checkout)
    assert (refused.status_code, refused.json()["code"]) == (403, 13605)

    assert pc.post(f"/v1/customers/{customer}/agreements", json=MCA).status_code == 201
    placed = pc.post(checkout)
    assert placed.status_code == 201, placed.text
    order = placed.json()["orders"][0]
    assert order["status"] == "pending"

    assert pc.post("/_sandbox/clock", json={"advance": "PT10S"}).status_code == 200
    completed = pc.get(f"/v1/customers/{customer}/orders/{order['id']}").json()
    assert completed["status"] == "completed"
    [subscription] = pc.get(f"/v1/customers/{customer}/subscriptions").json()["items"]
    assert (subscription["offerId"], subscription["quantity"]) == (BASIC_P1Y, 3)
    skus = pc.get(f"/v1/customers/{customer}/subscribedskus").json()["items"]
    assert any(s["productSku"]["skuPartNumber"] == "O365_BUSINESS_ESSENTIALS" for s in skus)
