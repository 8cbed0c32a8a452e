"""Fixtures: a sandbox app on a frozen clock, reached over ASGI with real bearer tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from o365portal.sandbox.app import create_app
from o365portal.sandbox.identity import bootstrap_refresh_token
from o365portal.sandbox.state import SandboxState

START = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
SCOPE = "https://api.partnercenter.microsoft.com/.default"


@dataclass
class Sandbox:
    """A client with an App+User token, the app-only token, and the live state."""

    client: httpx.AsyncClient
    state: SandboxState
    app_only_token: str

    async def advance(self, duration: str) -> None:
        """Move the sandbox clock (the time processors run right after)."""
        response = await self.client.post("/_sandbox/clock", json={"advance": duration})
        assert response.status_code == 200, response.text

    async def set_clock(self, instant: datetime) -> None:
        """Move the sandbox clock to an instant (frozen)."""
        response = await self.client.post(
            "/_sandbox/clock", json={"now": instant.isoformat(), "frozen": True}
        )
        assert response.status_code == 200, response.text


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
        user = await _token(
            client,
            state,
            {"grant_type": "refresh_token", "refresh_token": bootstrap_refresh_token(state)},
        )
        app_only = await _token(client, state, {"grant_type": "client_credentials", "scope": SCOPE})
        client.headers["Authorization"] = f"Bearer {user}"
        yield Sandbox(client, state, app_only)


def items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of a collection body."""
    found: list[dict[str, Any]] = body["items"]
    return found
