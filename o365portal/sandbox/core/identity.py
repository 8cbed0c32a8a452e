"""The Entra ID token endpoint and Partner Center bearer-token checks.

Entra side (what MSAL's ConfidentialClientApplication needs, authority `{base}/{tenant}`
with `instance_discovery=False`): OpenID discovery at
`/{tenant}/v2.0/.well-known/openid-configuration` (and without `v2.0`) and
`POST /{tenant}/oauth2/v2.0/token` with the `client_credentials` and `refresh_token`
grants. Access tokens are opaque random strings valid 3599 s on the sandbox clock.
Refresh tokens (App+User) rotate on use as Entra's do; old ones stay valid.

Partner Center side: `caller(request, app_user=False) -> Caller` authenticates the bearer
token (401 code 800001 with `WWW-Authenticate` when missing, unknown or expired) and, for
App+User-only routes, answers app-only tokens with 403 code 900329. Tokens of the
"Partner Center portal" app are user tokens: that app stands for a person signed in to
Microsoft's web portal (`admin@<partner domain>`).
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.core.clock import parse_instant
from o365portal.sandbox.core.state import PORTAL_ROLE, AppRegistration, SandboxState
from o365portal.sandbox.core.wire import PartnerCenterError

PARTNER_CENTER_RESOURCE = "https://api.partnercenter.microsoft.com"
ACCESS_TOKEN_SECONDS = 3599
BEARER_CHALLENGE = f'Bearer realm="{PARTNER_CENTER_RESOURCE}", error="invalid_token"'


@dataclass(frozen=True)
class Caller:
    """Who made a Partner Center request: the app, and the signed-in user for App+User."""

    client_id: str
    app_only: bool
    user_principal_name: str | None = None


def sandbox_state(request: Request) -> SandboxState:
    """The `SandboxState` the app was created with."""
    state: SandboxState = request.app.state.sandbox
    return state


def caller(request: Request, app_user: bool = False) -> Caller:
    """Authenticate the request's bearer token; `app_user=True` refuses app-only tokens."""
    found = authenticate(sandbox_state(request), request.headers.get("authorization"))
    if app_user and found.app_only:
        raise PartnerCenterError(
            403, 900329, "This resource does not support application-only authentication."
        )
    return found


def authenticate(state: SandboxState, authorization: str | None) -> Caller:
    """The caller behind an `Authorization: Bearer` header, or a 401 PartnerCenterError."""
    scheme, _, token = (authorization or "").partition(" ")
    record = state.identity["access"].get(token.strip()) if scheme.lower() == "bearer" else None
    if record is None or parse_instant(record["expiresAt"]) <= state.now():
        raise PartnerCenterError(
            401,
            800001,
            "Partner token is missing, invalid or expired.",
            headers={"WWW-Authenticate": BEARER_CHALLENGE},
        )
    return Caller(record["clientId"], record["appOnly"], record.get("userPrincipalName"))


def integration_user(state: SandboxState) -> str:
    """The UPN of the partner's integration account (App+User tokens of the portal)."""
    return f"integration@{state.partner_domain}"


def bootstrap_refresh_token(state: SandboxState) -> str:
    """The integration user's long-lived refresh token (created once, written to sandbox.json)."""
    with state.lock:
        refresh = state.identity["refresh"]
        for token, record in refresh.items():
            if record.get("bootstrap"):
                return str(token)
        token = _new_refresh_token(state, state.integration_app, integration_user(state))
        refresh[token]["bootstrap"] = True
        return token


def _new_refresh_token(state: SandboxState, app: AppRegistration, upn: str) -> str:
    token = "0.sandbox-rt." + secrets.token_urlsafe(48)
    state.identity["refresh"][token] = {"clientId": app.client_id, "userPrincipalName": upn}
    return token


def _issue_access_token(state: SandboxState, app: AppRegistration, upn: str | None) -> str:
    now = state.now()
    access = state.identity["access"]
    for token in [t for t, r in access.items() if parse_instant(r["expiresAt"]) <= now]:
        del access[token]
    token = "sandbox-at." + secrets.token_urlsafe(48)
    access[token] = {
        "clientId": app.client_id,
        "appOnly": upn is None,
        "userPrincipalName": upn,
        "expiresAt": (now + timedelta(seconds=ACCESS_TOKEN_SECONDS)).isoformat(),
    }
    return token


class EntraError(Exception):
    """An OAuth error answered in Entra ID's shape."""

    def __init__(self, status: int, error: str, aadsts: int, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.aadsts, self.description = status, error, aadsts, description


def _entra_error_response(state: SandboxState, exc: EntraError) -> JSONResponse:
    trace_id, correlation_id = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = state.now().strftime("%Y-%m-%d %H:%M:%SZ")
    return JSONResponse(
        {
            "error": exc.error,
            "error_description": (
                f"AADSTS{exc.aadsts}: {exc.description} Trace ID: {trace_id} "
                f"Correlation ID: {correlation_id} Timestamp: {stamp}"
            ),
            "error_codes": [exc.aadsts],
            "timestamp": stamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": f"https://login.microsoftonline.com/error?code={exc.aadsts}",
        },
        status_code=exc.status,
    )


def _check_tenant(state: SandboxState, tenant: str) -> None:
    if tenant.lower() not in (state.partner_tenant_id, state.partner_domain):
        raise EntraError(
            400,
            "invalid_request",
            90002,
            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.",
        )


def _client_app(state: SandboxState, request: Request, form: dict[str, str]) -> AppRegistration:
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(value).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            client_id = ""
    app = state.apps.get(client_id)
    if app is None:
        raise EntraError(
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{state.partner_tenant_id}'.",
        )
    if not secrets.compare_digest(secret, app.client_secret):
        raise EntraError(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is "
            f"the client secret value, not the client secret ID, for a secret added to app "
            f"'{app.client_id}'.",
        )
    return app


def _check_scope(scope: str, grant: str) -> None:
    scopes = scope.split()
    wanted = [s for s in scopes if s.lower().startswith(PARTNER_CENTER_RESOURCE)]
    if grant == "client_credentials" and (len(scopes) != 1 or not scopes[0].endswith("/.default")):
        raise EntraError(
            400,
            "invalid_scope",
            1002012,
            f"The provided value for scope {scope} is not valid. Client credential flows must "
            "have a scope value with /.default suffixed to the resource identifier "
            "(application ID URI).",
        )
    if not wanted:
        raise EntraError(
            400,
            "invalid_scope",
            70011,
            f"The provided request must include a 'scope' input parameter for resource "
            f"{PARTNER_CENTER_RESOURCE}. The provided value for the input parameter 'scope' "
            f"is not valid: '{scope}'.",
        )


def _token_body(token: str, scope: str) -> dict[str, Any]:
    return {
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": ACCESS_TOKEN_SECONDS,
        "ext_expires_in": ACCESS_TOKEN_SECONDS,
        "access_token": token,
    }


def _client_credentials(
    state: SandboxState, app: AppRegistration, form: dict[str, str]
) -> dict[str, Any]:
    _check_scope(form.get("scope", ""), "client_credentials")
    user = f"admin@{state.partner_domain}" if app.role == PORTAL_ROLE else None
    return _token_body(_issue_access_token(state, app, user), f"{PARTNER_CENTER_RESOURCE}/.default")


def _refresh_token_grant(
    state: SandboxState, app: AppRegistration, form: dict[str, str]
) -> dict[str, Any]:
    _check_scope(form.get("scope", f"{PARTNER_CENTER_RESOURCE}/.default"), "refresh_token")
    record = state.identity["refresh"].get(form.get("refresh_token", ""))
    if record is None or record["clientId"] != app.client_id:
        raise EntraError(
            400,
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid (refresh token not recognised).",
        )
    upn = record["userPrincipalName"]
    body = _token_body(
        _issue_access_token(state, app, upn), f"{PARTNER_CENTER_RESOURCE}/user_impersonation"
    )
    body["refresh_token"] = _new_refresh_token(state, app, upn)
    client_info = {"uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, upn)), "utid": state.partner_tenant_id}
    body["client_info"] = base64.urlsafe_b64encode(json.dumps(client_info).encode()).decode()
    return body


async def token_endpoint(request: Request) -> JSONResponse:
    """`POST /{tenant}/oauth2/v2.0/token`: the client-credentials or refresh-token grant."""
    state = sandbox_state(request)
    form = dict(parse_qsl((await request.body()).decode("utf-8-sig")))
    grants = {"client_credentials": _client_credentials, "refresh_token": _refresh_token_grant}
    try:
        _check_tenant(state, request.path_params["tenant"])
        grant = grants.get(form.get("grant_type", ""))
        if grant is None:
            raise EntraError(
                400,
                "unsupported_grant_type",
                70003,
                f"The app requested an unsupported grant type '{form.get('grant_type', '')}'.",
            )
        with state.lock:
            app = _client_app(state, request, form)
            body = grant(state, app, form)
    except EntraError as exc:
        return _entra_error_response(state, exc)
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def openid_configuration(request: Request) -> JSONResponse:
    """OpenID Connect discovery document for the partner tenant."""
    state = sandbox_state(request)
    tenant = request.path_params["tenant"]
    try:
        _check_tenant(state, tenant)
    except EntraError as exc:
        return _entra_error_response(state, exc)
    base = str(request.base_url).rstrip("/")
    tid = state.partner_tenant_id
    return JSONResponse(
        {
            "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "jwks_uri": f"{base}/{tid}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{base}/{tid}/v2.0",
            "request_uri_parameter_supported": False,
            "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/{tenant}/oauth2/v2.0/logout",
            "grant_types_supported": ["client_credentials", "refresh_token"],
            "tenant_region_scope": "EU",
        }
    )


routes: list[BaseRoute] = [
    Route("/{tenant}/v2.0/.well-known/openid-configuration", openid_configuration),
    Route("/{tenant}/.well-known/openid-configuration", openid_configuration),
    Route("/{tenant}/oauth2/v2.0/token", token_endpoint, methods=["POST"]),
]
