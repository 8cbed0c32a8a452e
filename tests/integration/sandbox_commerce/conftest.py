"""Fixtures: a sandbox app on a frozen clock, reached over ASGI with real bearer tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from o365portal.sandbox.core.app import create_app
from o365portal.sandbox.core.identity import bootstrap_refresh_token
from o365portal.sandbox.core.state import SandboxState

START = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
SCOPE = "https://api.partnercenter.microsoft.com/.default"


@dataclass
class Sandbox:
    """A client with an App+User token, the app-only token, and the live state."""

    client: httpx.AsyncClient
    state: SandboxState
    app_only_token: str

    async def advance(self, duration: str) -> None:
        """Move the sandbox clock (the time processors run right after); fresh tokens."""
        response = await self.client.post("/_sandbox/clock", json={"advance": duration})
        assert response.status_code == 200, response.text
        await self.sign_in()

    async def set_clock(self, instant: datetime) -> None:
        """Move the sandbox clock to an instant (frozen); fresh tokens."""
        response = await self.client.post(
            "/_sandbox/clock", json={"now": instant.isoformat(), "frozen": True}
        )
        assert response.status_code == 200, response.text
        await self.sign_in()

    async def sign_in(self) -> None:
        """Get App+User and app-only tokens valid at the current sandbox time."""
        refresh = bootstrap_refresh_token(self.state)
        user = await _token(
            self.client, self.state, {"grant_type": "refresh_token", "refresh_token": refresh}
        )
        self.app_only_token = await _token(
            self.client, self.state, {"grant_type": "client_credentials", "scope": SCOPE}
        )
        self.client.headers["Authorization"] = f"Bearer {user}"


def seed_customer(state: SandboxState, country: str = "US", mca: bool = True) -> str:
    """Put a customer row into the core's `customers` table, as its create route would."""
    customer_id = str(uuid.uuid4())
    domain = f"contoso{customer_id[:8]}.onmicrosoft.com"
    with state.lock:
        state.table("customers")[customer_id] = {
            "id": customer_id,
            "companyProfile": {"tenantId": customer_id, "domain": domain, "companyName": "Contoso"},
            "billingProfile": {"companyName": "Contoso", "defaultAddress": {"country": country}},
            "mcaAccepted": mca,
        }
    return customer_id


async def _token(client: httpx.AsyncClient, state: SandboxState, form: dict[str, str]) -> str:
    app = state.integration_app
    form = {"client_id": app.client_id, "client_secret": app.client_secret, **form}
    response = await client.post(f"/{state.partner_tenant_id}/oauth2/v2.0/token", data=form)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A fresh sandbox frozen at START, with an App+User client."""
    state = SandboxState()
    state.clock.set(START, frozen=True)
    transport = httpx.ASGITransport(app=create_app(state))
    async with httpx.AsyncClient(transport=transport, base_url="https://sandbox.test") as client:
        sandbox = Sandbox(client, state, "")
        await sandbox.sign_in()
        yield sandbox


def items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of a collection body."""
    found: list[dict[str, Any]] = body["items"]
    return found


BASIC_P1Y = "CFQ7TTC0LH18:0001:CFQ7TTC0K971"


def line(
    catalog_item_id: str = BASIC_P1Y,
    quantity: int = 10,
    billing_cycle: str = "monthly",
    term: str = "P1Y",
) -> dict[str, Any]:
    """One cart line item as the portal's client sends it."""
    return {
        "id": 0,
        "catalogItemId": catalog_item_id,
        "quantity": quantity,
        "billingCycle": billing_cycle,
        "termDuration": term,
    }


async def buy(sandbox: Sandbox, customer: str, *lines: dict[str, Any]) -> list[dict[str, Any]]:
    """Create a cart, check it out, let provisioning finish; the new subscriptions."""
    cart = await sandbox.client.post(f"/v1/customers/{customer}/carts", json={"lineItems": lines})
    assert cart.status_code == 201, cart.text
    result = await sandbox.client.post(
        f"/v1/customers/{customer}/carts/{cart.json()['id']}/checkout"
    )
    assert result.status_code == 201, result.text
    await sandbox.advance("PT10S")
    found = []
    for order in result.json()["orders"]:
        listing = await sandbox.client.get(
            f"/v1/customers/{customer}/subscriptions?order_id={order['id']}"
        )
        found += listing.json()["items"]
    return found
