"""Tokens: the right kind per route, renewal before expiry, refresh and retry on a 401."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from o365portal.partner_center import AppUserRequired, AuthenticationError
from o365portal.partner_center.auth import MsalTokenSource, TokenKind
from tests.unit.partner_center.fakes import ScriptedPartnerCenter, config, harness, pc_error, reply


async def test_app_only_routes_use_the_app_token_and_user_routes_the_app_user_token(
    server: ScriptedPartnerCenter,
) -> None:
    server.on("GET", "/v1/customers/c1", reply(200, {"id": "c1"}))
    server.on("GET", "/v1/customers/c1/subscribedskus", reply(200, {"items": []}))
    server.on("GET", "/v1/customers/relationshiprequests", reply(200, {"url": "https://x"}))
    h = harness(server)
    await h.client.customers.get("c1")
    await h.client.licenses.subscribed_skus("c1")
    await h.client.customers.relationship_request()
    assert server.headers("Authorization") == [
        "Bearer app-token-1",
        "Bearer app_user-token-1",
        "Bearer app_user-token-1",
    ]


async def test_a_401_renews_the_token_and_retries_once(server: ScriptedPartnerCenter) -> None:
    server.on("GET", "/v1/customers/c1", pc_error(401, 800001), reply(200, {"id": "c1"}))
    h = harness(server)
    assert (await h.client.customers.get("c1")).id == "c1"
    assert server.headers("Authorization") == ["Bearer app-token-1", "Bearer app-token-2"]
    assert h.tokens[TokenKind.APP].forced == 1


async def test_a_second_401_is_an_authentication_error(server: ScriptedPartnerCenter) -> None:
    server.on("GET", "/v1/customers/c1", pc_error(401, 800001, "expired"))
    h = harness(server)
    with pytest.raises(AuthenticationError) as caught:
        await h.client.customers.get("c1")
    assert caught.value.code == 800001
    assert len(server.requests) == 2


@dataclass
class FakeMsalApp:
    """Stands in for MSAL's ConfidentialClientApplication (the library edge)."""

    expires_in: int = 3600
    calls: list[str] = field(default_factory=list)
    forgotten: int = 0

    @property
    def token_cache(self) -> FakeMsalApp:
        return self

    def search(self, _credential_type: Any) -> list[str]:
        return ["cached-access-token"]

    def remove_at(self, _entry: str) -> None:
        self.forgotten += 1

    def acquire_token_for_client(self, scopes: list[str]) -> dict[str, Any]:
        self.calls.append(f"client {scopes[0]}")
        return {"access_token": f"app-{len(self.calls)}", "expires_in": self.expires_in}

    def acquire_token_by_refresh_token(self, token: str, scopes: list[str]) -> dict[str, Any]:
        self.calls.append(f"refresh {token}")
        n = len(self.calls)
        return {"access_token": f"user-{n}", "refresh_token": f"rt-{n}", "expires_in": 3600}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_token_is_reused_until_five_minutes_before_it_expires() -> None:
    app, clock = FakeMsalApp(), Clock()
    source = MsalTokenSource(config(), TokenKind.APP, clock=clock, application=app)  # type: ignore[arg-type]
    assert await source.token() == "app-1"
    clock.now += 3600 - 301
    assert await source.token() == "app-1"
    clock.now += 2
    assert await source.token() == "app-2"
    assert app.calls == ["client https://api.partnercenter.microsoft.com/.default"] * 2


async def test_a_forced_refresh_bypasses_msal_own_cache() -> None:
    app = FakeMsalApp()
    source = MsalTokenSource(config(), TokenKind.APP, application=app)  # type: ignore[arg-type]
    await source.token()
    assert await source.token(force_refresh=True) == "app-2"
    assert app.forgotten == 1


async def test_app_user_tokens_come_from_the_refresh_token_which_rotates() -> None:
    app = FakeMsalApp()
    source = MsalTokenSource(config(), TokenKind.APP_USER, application=app)  # type: ignore[arg-type]
    assert await source.token() == "user-1"
    assert await source.token(force_refresh=True) == "user-2"
    assert app.calls == ["refresh refresh-token-value", "refresh rt-1"]


async def test_app_user_calls_without_a_refresh_token_fail_clearly() -> None:
    source = MsalTokenSource(config(refresh_token=None), TokenKind.APP_USER)
    with pytest.raises(AppUserRequired):
        await source.token()


async def test_an_entra_refusal_is_an_authentication_error_without_secrets() -> None:
    class RefusingApp(FakeMsalApp):
        def acquire_token_for_client(self, scopes: list[str]) -> dict[str, Any]:
            return {"error": "invalid_client", "error_description": "AADSTS7000215 bad secret"}

    source = MsalTokenSource(config(), TokenKind.APP, application=RefusingApp())  # type: ignore[arg-type]
    with pytest.raises(AuthenticationError, match="invalid_client") as caught:
        await source.token()
    assert "client-secret-value" not in str(caught.value)
