"""Helpers for the Partner Center sandbox tests: tokens, clients and customer builders."""

from __future__ import annotations

import ssl
import uuid
from typing import Any

import httpx

from o365portal.sandbox.core.server import SandboxInfo

PC_SCOPE = "https://api.partnercenter.microsoft.com/.default"


def trust(sandbox: SandboxInfo) -> ssl.SSLContext:
    """An SSL context trusting the sandbox's local CA."""
    return ssl.create_default_context(cafile=sandbox.ca_file)


def request_token(sandbox: SandboxInfo, **form: str) -> dict[str, Any]:
    """POST the Entra token endpoint with a form and return the JSON answer."""
    response = httpx.post(
        f"{sandbox.authority}/oauth2/v2.0/token", data=form, verify=trust(sandbox)
    )
    body: dict[str, Any] = response.json()
    return body


def app_token(sandbox: SandboxInfo) -> str:
    return str(
        request_token(
            sandbox,
            grant_type="client_credentials",
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            scope=PC_SCOPE,
        )["access_token"]
    )


def user_token(sandbox: SandboxInfo) -> str:
    return str(
        request_token(
            sandbox,
            grant_type="refresh_token",
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            refresh_token=sandbox.refresh_token,
            scope=PC_SCOPE,
        )["access_token"]
    )


def client_with(sandbox: SandboxInfo, token: str | None, **kwargs: Any) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=sandbox.base_url, verify=trust(sandbox), headers=headers, **kwargs)


def unique_domain(prefix: str = "cust") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}.onmicrosoft.com"


def customer_body(
    domain: str | None = None, company: str = "Contoso Test", **address: str
) -> dict[str, Any]:
    default_address = {
        "firstName": "Jane",
        "lastName": "Doe",
        "addressLine1": "1 Microsoft Way",
        "city": "Redmond",
        "state": "WA",
        "postalCode": "98052",
        "country": "US",
        "phoneNumber": "4255550100",
        **address,
    }
    return {
        "companyProfile": {"domain": domain or unique_domain()},
        "billingProfile": {
            "culture": "en-US",
            "email": "jane@example.com",
            "language": "en",
            "companyName": company,
            "defaultAddress": default_address,
        },
    }


def create_customer(client: httpx.Client, **kwargs: Any) -> dict[str, Any]:
    response = client.post("/v1/customers", json=customer_body(**kwargs))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


MCA_TEMPLATE_ID = "117a77b0-9360-443b-8795-c6dedc750cf9"
BASIC_P1Y = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"


def confirm_mca(client: httpx.Client, customer_id: str) -> None:
    agreement = {
        "primaryContact": {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"},
        "templateId": MCA_TEMPLATE_ID,
        "dateAgreed": "2026-03-01T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
    }
    response = client.post(f"/v1/customers/{customer_id}/agreements", json=agreement)
    assert response.status_code == 201, response.text


def buy(client: httpx.Client, customer_id: str, quantity: int) -> dict[str, Any]:
    """Buy Business Basic (P1Y, monthly) through cart + checkout; return the new subscription."""
    line = {
        "id": 0,
        "catalogItemId": BASIC_P1Y,
        "quantity": quantity,
        "termDuration": "P1Y",
        "billingCycle": "monthly",
    }
    cart = client.post(f"/v1/customers/{customer_id}/carts", json={"lineItems": [line]})
    assert cart.status_code == 201, cart.text
    placed = client.post(f"/v1/customers/{customer_id}/carts/{cart.json()['id']}/checkout")
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["orders"][0]["id"]
    client.post("/_sandbox/clock", json={"advance": "PT1M"}).raise_for_status()
    subscriptions = client.get(f"/v1/customers/{customer_id}/subscriptions").json()["items"]
    found: dict[str, Any] = next(s for s in subscriptions if s["orderId"] == order_id)
    return found
