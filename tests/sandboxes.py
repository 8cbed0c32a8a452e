"""The two Partner Centers the service and browser tests drive, behind one interface.

- `PartnerCenterFake` (tests/fakes/partner_center.py): the sandbox's app in process, for the
  fast service tier;
- `HttpsSandbox`: a sandbox served over HTTPS (`running_sandbox`, or the one `make run` and the
  browser tests start), reached with real TLS and MSAL, for the flows that cross the wire.

Both give the live `state`, clients of the sandbox's two apps whose waits move the sandbox clock
instead of sleeping, and the control API (`post`, `chaos`, `reset`).
"""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig
from o365portal.partner_center.auth import MsalTokenSource, TokenKind
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.sandbox.core.state import SandboxState


class Sandbox(Protocol):
    """What tests need of a Partner Center sandbox."""

    @property
    def state(self) -> SandboxState: ...

    def client(self, *, portal_app: bool = False, **config: Any) -> PartnerCenterClient: ...

    def post(self, path: str, body: dict[str, Any]) -> None: ...

    def chaos(self, **config: Any) -> None: ...

    def reset(self) -> None: ...


class HttpsSandbox:
    """A sandbox served over HTTPS, driven like `PartnerCenterFake`."""

    def __init__(self, info: SandboxInfo) -> None:
        self.info = info
        context = ssl.create_default_context(cafile=info.ca_file)
        self._http = httpx.Client(base_url=info.base_url, verify=context)

    @property
    def state(self) -> SandboxState:
        """The sandbox's live data (it runs in this process)."""
        return self.info.state

    def client(self, *, portal_app: bool = False, **config: Any) -> PartnerCenterClient:
        """A client with real MSAL and TLS of the integration app (or, with `portal_app`, of
        the "Partner Center portal" app: changes made in Microsoft's web portal); its waits
        advance the sandbox clock by the time asked. `config` overrides config fields."""
        info = self.info
        client_id, secret = (
            (info.portal_client_id, info.portal_client_secret)
            if portal_app
            else (info.client_id, info.client_secret)
        )
        settings = PartnerCenterConfig(
            base_url=info.base_url,
            authority=info.authority,
            tenant_id=info.partner_tenant_id,
            client_id=client_id,
            client_secret=SecretStr(secret),
            refresh_token=None if portal_app else SecretStr(info.refresh_token),
            ca_file=Path(info.ca_file),
            **config,
        )
        if not portal_app:
            return PartnerCenterClient(settings, sleep=self._wait)
        # The portal app's client-credentials token already names its person (the sandbox's
        # grant), so it also serves the App+User routes (users, licences), through real MSAL.
        person = MsalTokenSource(settings, TokenKind.APP)
        sources = {TokenKind.APP: person, TokenKind.APP_USER: person}
        return PartnerCenterClient(settings, token_sources=sources, sleep=self._wait)

    async def _wait(self, seconds: float) -> None:
        step = max(1, round(seconds))
        await asyncio.to_thread(self.post, "clock", {"advance": f"PT{step}S"})

    def post(self, path: str, body: dict[str, Any]) -> None:
        """`POST /_sandbox/<path>` with a JSON body."""
        self._http.post(f"/_sandbox/{path}", json=body).raise_for_status()

    def chaos(self, **config: Any) -> None:
        """Replace the chaos configuration (o365portal/sandbox/core/chaos.py)."""
        self.post("chaos", config)

    def reset(self) -> None:
        """Empty the sandbox's tables and turn chaos off."""
        self.post("reset", {})
