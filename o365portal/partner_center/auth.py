"""Access tokens for Partner Center: MSAL behind an `httpx.Auth` seam.

Two kinds of token exist (reference §2): app-only (client credentials) and App+User (the Secure
Application Model: a stored refresh token exchanged for an access token). `MsalTokenSource`
obtains either kind with MSAL's `ConfidentialClientApplication`, which is synchronous and therefore
runs in `asyncio.to_thread`. Tokens are cached and renewed `renewal_margin` seconds before they
expire. `BearerAuth` puts the token on each request and, on a 401, renews it and retries once.
Unit tests replace the `TokenSource` with a fake; nothing here ever logs a token or secret.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import msal
import requests
from pydantic import SecretStr

from o365portal.partner_center.config import PARTNER_CENTER_SCOPE, PartnerCenterConfig
from o365portal.partner_center.errors import (
    AppUserRequired,
    AuthenticationError,
    TransientError,
)


class TokenKind(enum.Enum):
    """Which Partner Center token a call needs."""

    APP = "app"
    APP_USER = "app+user"


class TokenSource(Protocol):
    """Gives bearer tokens of one kind; `force_refresh` skips every cache."""

    async def token(self, *, force_refresh: bool = False) -> str: ...


@dataclass(frozen=True)
class _CachedToken:
    value: str
    expires_at: float


class MsalTokenSource:
    """Tokens of one `TokenKind` from Entra (or the sandbox's token endpoint) via MSAL.

    The MSAL application is built on first use from the configuration, unless one is given.
    """

    def __init__(
        self,
        config: PartnerCenterConfig,
        kind: TokenKind,
        *,
        clock: Callable[[], float] = time.time,
        application: msal.ConfidentialClientApplication | None = None,
    ) -> None:
        self._config = config
        self._kind = kind
        self._clock = clock
        self._app = application
        self._refresh_token = config.refresh_token
        self._cached: _CachedToken | None = None
        self._lock = asyncio.Lock()

    async def token(self, *, force_refresh: bool = False) -> str:
        """A valid access token, renewed when it expires within the renewal margin."""
        if self._kind is TokenKind.APP_USER and self._refresh_token is None:
            raise AppUserRequired("App+User calls need PARTNER_CENTER_REFRESH_TOKEN configured")
        async with self._lock:
            if force_refresh or not self._is_fresh():
                self._cached = await asyncio.to_thread(self._acquire, force_refresh)
            return self._cached.value  # type: ignore[union-attr]

    def _is_fresh(self) -> bool:
        margin = self._config.token_renewal_margin
        return self._cached is not None and self._cached.expires_at - margin > self._clock()

    def _acquire(self, force_refresh: bool) -> _CachedToken:
        try:
            result = self._request_token(self._application(), force_refresh)
        except requests.RequestException as exc:
            raise TransientError(f"token endpoint unreachable: {type(exc).__name__}") from None
        if "access_token" not in result:
            error = result.get("error", "unknown_error")
            raise AuthenticationError(f"Entra refused the {self._kind.value} token: {error}")
        if result.get("refresh_token"):
            self._refresh_token = SecretStr(result["refresh_token"])
        expires_in = float(result.get("expires_in", 3600))
        return _CachedToken(result["access_token"], self._clock() + expires_in)

    def _request_token(
        self, app: msal.ConfidentialClientApplication, force_refresh: bool
    ) -> dict[str, Any]:
        scopes = [PARTNER_CENTER_SCOPE]
        if self._kind is TokenKind.APP_USER:
            assert self._refresh_token is not None
            secret = self._refresh_token.get_secret_value()
            return app.acquire_token_by_refresh_token(secret, scopes=scopes)  # type: ignore[no-any-return]
        if force_refresh:
            _forget_access_tokens(app)
        return app.acquire_token_for_client(scopes=scopes)  # type: ignore[no-any-return]

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            config = self._config
            self._app = msal.ConfidentialClientApplication(
                config.client_id,
                client_credential=config.client_secret.get_secret_value(),
                authority=config.authority_url,
                instance_discovery=config.authority_is_microsoft,
                http_client=_HttpSession(config),
            )
        return self._app


class _HttpSession(requests.Session):
    """MSAL's HTTP session, trusting the configured CA bundle.

    `requests` lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override `Session.verify`, which would
    make MSAL distrust the sandbox's CA on machines that set them; this session's CA wins.
    """

    def __init__(self, config: PartnerCenterConfig) -> None:
        super().__init__()
        self.verify = str(config.ca_file) if config.ca_file else True
        self._timeout = (config.timeouts.connect, config.timeouts.read)

    def merge_environment_settings(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        settings: dict[str, Any] = super().merge_environment_settings(*args, **kwargs)
        if self.verify is not True:
            settings["verify"] = self.verify
        return settings

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        return super().request(*args, **kwargs)


def _forget_access_tokens(app: msal.ConfidentialClientApplication) -> None:
    cache = app.token_cache
    for entry in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
        cache.remove_at(entry)


class BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer <token>`; on a 401 renews the token and retries once."""

    def __init__(self, tokens: TokenSource) -> None:
        self._tokens = tokens

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Send with the cached token, and once more with a fresh one after a 401."""
        request.headers["Authorization"] = f"Bearer {await self._tokens.token()}"
        response = yield request
        if response.status_code == 401:
            fresh = await self._tokens.token(force_refresh=True)
            request.headers["Authorization"] = f"Bearer {fresh}"
            yield request
