"""The Entra-like token endpoint and Partner Center's bearer-token checks, over real HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import msal
import pytest

from o365portal.sandbox.core.server import SandboxInfo
from tests.integration.sandbox.helpers import PC_SCOPE, client_with, request_token, trust


@contextmanager
def msal_app(sandbox: SandboxInfo, secret: str) -> Iterator[msal.ConfidentialClientApplication]:
    """An MSAL app for the sandbox whose HTTP session is closed afterwards."""
    app = msal.ConfidentialClientApplication(
        sandbox.client_id,
        client_credential=secret,
        authority=sandbox.authority,
        verify=sandbox.ca_file,
        instance_discovery=False,
    )
    try:
        yield app
    finally:
        app.http_client.close()


@pytest.fixture
def _requests_trusts_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's `verify`.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.mark.usefixtures("_requests_trusts_verify")
def test_msal_gets_app_only_and_app_user_tokens_that_partner_center_routes_accept(
    sandbox: SandboxInfo,
) -> None:
    with msal_app(sandbox, sandbox.client_secret) as app:
        app_only = app.acquire_token_for_client(scopes=[PC_SCOPE])
        app_user = app.acquire_token_by_refresh_token(sandbox.refresh_token, scopes=[PC_SCOPE])

    assert app_only["expires_in"] == 3599
    assert app_user["refresh_token"] != sandbox.refresh_token
    for token, status in ((app_only["access_token"], 403), (app_user["access_token"], 200)):
        with client_with(sandbox, token) as client:
            assert client.get("/v1/customers/relationshiprequests").status_code == status


@pytest.mark.usefixtures("_requests_trusts_verify")
def test_msal_reports_entra_invalid_client_for_a_wrong_secret(sandbox: SandboxInfo) -> None:
    with msal_app(sandbox, "not-the-secret") as app:
        result = app.acquire_token_for_client(scopes=[PC_SCOPE])

    assert result["error"] == "invalid_client"
    assert result["error_codes"] == [7000215]


def test_a_wrong_secret_gets_entras_401_error_body(sandbox: SandboxInfo) -> None:
    response = httpx.post(
        f"{sandbox.authority}/oauth2/v2.0/token",
        data={
            "grant_type": "client_credentials",
            "client_id": sandbox.client_id,
            "client_secret": "wrong",
            "scope": PC_SCOPE,
        },
        verify=trust(sandbox),
    )

    body = response.json()
    assert response.status_code == 401
    assert body["error"] == "invalid_client"
    assert body["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")
    assert {"timestamp", "trace_id", "correlation_id"} <= body.keys()


def test_a_rotated_refresh_token_works_and_the_old_one_stays_valid(sandbox: SandboxInfo) -> None:
    form = {
        "grant_type": "refresh_token",
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
        "scope": PC_SCOPE,
    }
    first = request_token(sandbox, refresh_token=sandbox.refresh_token, **form)
    second = request_token(sandbox, refresh_token=first["refresh_token"], **form)
    again = request_token(sandbox, refresh_token=sandbox.refresh_token, **form)

    assert second["access_token"] and again["access_token"]
    assert request_token(sandbox, refresh_token="bogus", **form)["error"] == "invalid_grant"


def test_client_credentials_need_a_default_scope(sandbox: SandboxInfo) -> None:
    body = request_token(
        sandbox,
        grant_type="client_credentials",
        client_id=sandbox.client_id,
        client_secret=sandbox.client_secret,
        scope="https://api.partnercenter.microsoft.com/user_impersonation",
    )

    assert body["error"] == "invalid_scope"


def test_discovery_documents_point_at_the_token_endpoint(sandbox: SandboxInfo) -> None:
    for path in ("/v2.0/.well-known/openid-configuration", "/.well-known/openid-configuration"):
        config = httpx.get(f"{sandbox.authority}{path}", verify=trust(sandbox)).json()
        assert config["token_endpoint"] == f"{sandbox.authority}/oauth2/v2.0/token"


def test_requests_without_a_token_get_401_with_code_800001(sandbox: SandboxInfo) -> None:
    with client_with(sandbox, None) as anonymous:
        response = anonymous.get("/v1/customers")

    assert response.status_code == 401
    assert response.json()["code"] == 800001
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_expire_on_the_sandbox_clock(
    sandbox: SandboxInfo, pc: httpx.Client, control: httpx.Client
) -> None:
    assert pc.get("/v1/customers").status_code == 200

    control.post("/_sandbox/clock", json={"advance": "PT1H"})

    assert pc.get("/v1/customers").status_code == 401


def test_app_only_tokens_are_refused_on_app_user_routes_with_900329(
    pc_app: httpx.Client,
) -> None:
    response = pc_app.get("/v1/customers/00000000-0000-0000-0000-000000000001/users")

    assert response.status_code == 403
    assert response.json()["code"] == 900329


def test_the_partner_center_portal_app_acts_as_a_signed_in_person(sandbox: SandboxInfo) -> None:
    token = request_token(
        sandbox,
        grant_type="client_credentials",
        client_id=sandbox.portal_client_id,
        client_secret=sandbox.portal_client_secret,
        scope=PC_SCOPE,
    )["access_token"]

    with client_with(sandbox, token) as portal:
        assert portal.get("/v1/customers/relationshiprequests").status_code == 200
