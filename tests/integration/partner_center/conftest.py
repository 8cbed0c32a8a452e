"""One sandbox for the whole session, reset before each test, and a client wired to it over
real HTTPS with real MSAL (nothing mocked)."""

from __future__ import annotations

import ssl
import warnings
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

# CPython 3.11.7 can stop pytest with "SystemError: AST constructor recursion depth mismatch"
# when the assertion rewriter compiles hypothesis at the session's end (its plugin imports it
# only for the terminal summary) after MSAL has run. Importing it here, at collection, as the
# domain tests do for the full suite, avoids that late compile.
import hypothesis  # noqa: F401
import pytest
from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig, RetryPolicy
from o365portal.sandbox.core.server import SandboxInfo, running_sandbox

FAST_RETRIES = RetryPolicy(
    max_attempts=4, backoff_base=0.01, backoff_max=0.05, jitter=0, retry_after_cap=0.05
)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxInfo]:
    """A sandbox served over HTTPS on a free loopback port for the whole test session."""
    with warnings.catch_warnings():
        # running_sandbox's own health probe passes `verify=<str>`, deprecated in httpx 0.28.
        warnings.filterwarnings("ignore", "`verify=<str>` is deprecated", DeprecationWarning)
        with running_sandbox() as info:
            yield info


class SandboxControl:
    """The sandbox's `/_sandbox` control API."""

    def __init__(self, info: SandboxInfo) -> None:
        self._http = httpx.Client(
            base_url=info.base_url, verify=ssl.create_default_context(cafile=info.ca_file)
        )

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        response = self._http.post(f"/_sandbox/{path}", json=body or {})
        response.raise_for_status()
        return response

    def reset(self) -> None:
        self.post("reset")

    def advance(self, duration: str) -> None:
        self.post("clock", {"advance": duration})

    def set_now(self, instant: datetime) -> None:
        self.post("clock", {"now": instant.isoformat()})

    def chaos(self, **config: Any) -> None:
        self.post("chaos", config)

    def close(self) -> None:
        self._http.close()


@pytest.fixture
def control(sandbox: SandboxInfo) -> Iterator[SandboxControl]:
    """The control API, with the sandbox reset (data and chaos) before the test."""
    control = SandboxControl(sandbox)
    control.reset()
    yield control
    control.close()


def sandbox_config(info: SandboxInfo, **overrides: Any) -> PartnerCenterConfig:
    """Client configuration for the sandbox, the way sandbox.json gives it."""
    fields: dict[str, Any] = {
        "base_url": info.base_url,
        "authority": info.authority,
        "tenant_id": info.partner_tenant_id,
        "client_id": info.client_id,
        "client_secret": SecretStr(info.client_secret),
        "refresh_token": SecretStr(info.refresh_token),
        "ca_file": Path(info.ca_file),
        "retry": FAST_RETRIES,
    }
    return PartnerCenterConfig(**{**fields, **overrides})


@pytest.fixture
async def pc(sandbox: SandboxInfo, control: SandboxControl) -> AsyncIterator[PartnerCenterClient]:
    """A client talking to the (freshly reset) sandbox."""
    async with PartnerCenterClient(sandbox_config(sandbox)) as client:
        yield client
