"""An in-process Partner Center for the fast service tests: the sandbox's own app, in memory.

`PartnerCenterFake` runs `o365portal.sandbox` (the same routes, rules, chaos and clock as the
HTTPS sandbox the integration tier starts) behind `httpx.ASGITransport`, so a request costs a
function call instead of TLS, a socket and MSAL. Everything goes through the Partner Center
client's documented seams (`http=`, `token_sources=`, `sleep=`) and the sandbox's control
API; nothing in the portal is patched:

    fake = PartnerCenterFake()
    with use_partner_center(fake.client):   # what the services' partner_center() returns
        fake.chaos(nextFailures=[{"route": "POST /v1/customers", "fault": "error500"}])
        fake.kill_worker_after("POST /v1/customers/*/carts/*/checkout")
        ...

- Tokens come from the sandbox's token endpoint, through the same transport (no MSAL).
- Waits of the client (retry back-off, Retry-After) move the sandbox clock instead of sleeping.
- A request's read timeout is honoured (`httpx.ReadTimeout`), as over a socket.
- `kill_worker_after(route)` is the one fault the sandbox cannot play: the next matching request
  is answered (Partner Center did the work), then the portal's worker dies (`WorkerKilled`)
  before it can record anything, as a process killed right after the answer.
- `post()`/`chaos()`/`reset()` call the control API synchronously (tests call them between
  awaits, and from the job-runner threads); `apost()` is the same from async code.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.config import PARTNER_CENTER_SCOPE
from o365portal.sandbox.core.app import create_app
from o365portal.sandbox.core.chaos import route_matches
from o365portal.sandbox.core.identity import bootstrap_refresh_token
from o365portal.sandbox.core.state import AppRegistration, SandboxState

BASE_URL = "https://partner-center.fake"
T = TypeVar("T")


class WorkerKilled(BaseException):
    """The portal's process died here (a BaseException: no `except Exception` may catch it)."""


class _FakeTokenSource:
    """Tokens of one kind from the sandbox's token endpoint (the grant MSAL would make)."""

    def __init__(self, fake: PartnerCenterFake, app: AppRegistration, kind: TokenKind) -> None:
        self._fake, self._app, self._kind = fake, app, kind
        self._token: str | None = None

    async def token(self, *, force_refresh: bool = False) -> str:
        if force_refresh or self._token is None:
            self._token = await self._fetch()
        return self._token

    async def _fetch(self) -> str:
        form = {"client_id": self._app.client_id, "client_secret": self._app.client_secret}
        # The portal app's every token is a person's (the sandbox's client-credentials grant
        # names its user), so it reaches App+User routes without a refresh token.
        if self._kind is TokenKind.APP_USER and self._app == self._fake.state.integration_app:
            refresh = bootstrap_refresh_token(self._fake.state)
            form |= {"grant_type": "refresh_token", "refresh_token": refresh}
        else:
            form |= {"grant_type": "client_credentials", "scope": PARTNER_CENTER_SCOPE}
        path = f"/{self._fake.state.partner_tenant_id}/oauth2/v2.0/token"
        response = await self._fake.http.post(path, data=form)
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


class _Transport(httpx.AsyncBaseTransport):
    """The sandbox app in process, with read timeouts and the worker-killing fault."""

    def __init__(self, fake: PartnerCenterFake) -> None:
        self._fake = fake
        self._asgi = httpx.ASGITransport(app=fake.app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        read_timeout = request.extensions.get("timeout", {}).get("read")
        try:
            response = await asyncio.wait_for(
                self._asgi.handle_async_request(request), read_timeout
            )
        except TimeoutError:
            raise httpx.ReadTimeout("no answer in time", request=request) from None
        if self._fake._kills_worker(request.method, request.url.path):
            raise WorkerKilled(f"worker killed after {request.method} {request.url.path}")
        return response


@dataclass
class _Kill:
    route: str
    remaining: int


class PartnerCenterFake:
    """A sandbox in memory with clients, tokens and the control API wired to it."""

    def __init__(self) -> None:
        self.state = SandboxState()
        self.state.base_url = BASE_URL
        self.app = create_app(self.state)
        self.transport = _Transport(self)
        # One HTTP client for every use: it holds no connection or event loop, and a client
        # built per use would load the system's CA bundle each time (for TLS it never does).
        self.http = httpx.AsyncClient(transport=self.transport, base_url=BASE_URL)
        self._kills: list[_Kill] = []
        self._kills_lock = threading.Lock()
        self._tokens = {
            app.client_id: {kind: _FakeTokenSource(self, app, kind) for kind in TokenKind}
            for app in (self.state.integration_app, self.state.portal_app)
        }
        self._control_loop = asyncio.new_event_loop()
        self._control_thread = threading.Thread(
            target=self._control_loop.run_forever, name="pc-fake-control", daemon=True
        )
        self._control_thread.start()

    def client(self, *, portal_app: bool = False, **config: Any) -> PartnerCenterClient:
        """A Partner Center client of the broker's integration app (or, with `portal_app`, of
        the "Partner Center portal" app: a person working in Microsoft's web portal).

        `config` overrides `PartnerCenterConfig` fields (retry, timeouts); waits move the clock.
        """
        app = self.state.portal_app if portal_app else self.state.integration_app
        settings = PartnerCenterConfig(
            base_url=BASE_URL,
            authority=f"{BASE_URL}/{self.state.partner_tenant_id}",
            tenant_id=self.state.partner_tenant_id,
            client_id=app.client_id,
            client_secret=SecretStr(app.client_secret),
            refresh_token=None if portal_app else SecretStr(bootstrap_refresh_token(self.state)),
            **config,
        )
        return PartnerCenterClient(
            settings,
            http=self.http,
            token_sources=self._tokens[app.client_id],
            sleep=self.wait,
        )

    async def wait(self, seconds: float) -> None:
        """The client's sleep: the sandbox clock moves by the time asked (whole seconds)."""
        await self.apost("clock", {"advance": f"PT{max(1, round(seconds))}S"})

    async def apost(self, path: str, body: dict[str, Any]) -> None:
        """`POST /_sandbox/<path>` with a JSON body."""
        (await self.http.post(f"/_sandbox/{path}", json=body)).raise_for_status()

    def post(self, path: str, body: dict[str, Any]) -> None:
        """`apost` from synchronous code (or between awaits of a test)."""
        self._on_control_loop(self.apost(path, body))

    def download(self, path: str) -> bytes:
        """`GET` a sandbox path (e.g. `/_sandbox/webhook-cert.pem`) from synchronous code."""

        async def get() -> bytes:
            response = await self.http.get(path)
            response.raise_for_status()
            return response.content

        return self._on_control_loop(get())

    def chaos(self, **config: Any) -> None:
        """Replace the sandbox's chaos configuration (see o365portal/sandbox/core/chaos.py)."""
        self.post("chaos", config)

    def reset(self) -> None:
        """Empty the sandbox's tables, turn chaos off and forget planned worker deaths."""
        self.post("reset", {})
        with self._kills_lock:
            self._kills.clear()

    def kill_worker_after(self, route: str, count: int = 1) -> None:
        """The next `count` requests matching `METHOD /path/*` are answered, then the portal's
        worker dies (`WorkerKilled`) before it reads the answer."""
        with self._kills_lock:
            self._kills.append(_Kill(route, count))

    def close(self) -> None:
        """Close the HTTP client and stop the control API's thread."""
        self._on_control_loop(self.http.aclose())
        self._control_loop.call_soon_threadsafe(self._control_loop.stop)
        self._control_thread.join()
        self._control_loop.close()

    def _kills_worker(self, method: str, path: str) -> bool:
        with self._kills_lock:
            for kill in self._kills:
                if kill.remaining > 0 and route_matches(kill.route, method, path):
                    kill.remaining -= 1
                    return True
        return False

    def _on_control_loop(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._control_loop).result()
