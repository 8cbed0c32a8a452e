"""Service tests against the real sandbox over HTTPS, on each database backend.

The services read everything from settings, so the fixtures set the environment the way a
deployment does: DATABASE_URL, PARTNER_CENTER_SANDBOX_FILE, and SMTP_* for the test server.
"""

from __future__ import annotations

import ssl
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import hypothesis  # noqa: F401  (see tests/integration/partner_center/conftest.py)
import pytest

from o365portal.config import get_settings
from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from o365portal.services.partner_center import close_http_client, forget_shared_clients
from tests.smtp_server import SmtpServerInfo, running_smtp_server


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """One sandbox for the session; its sandbox.json is what the services read."""
    data_dir = tmp_path_factory.mktemp("services-sandbox")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`verify=<str>` is deprecated", DeprecationWarning)
        with running_sandbox(data_dir=data_dir) as info:
            yield info


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServerInfo]:
    """A real SMTP server for the session."""
    with running_smtp_server() as server:
        yield server


class Control:
    """The sandbox's control API (reset, chaos)."""

    def __init__(self, info: SandboxInfo) -> None:
        context = ssl.create_default_context(cafile=info.ca_file)
        self._http = httpx.Client(base_url=info.base_url, verify=context)

    def post(self, path: str, body: dict[str, Any]) -> None:
        self._http.post(f"/_sandbox/{path}", json=body).raise_for_status()

    def chaos(self, **config: Any) -> None:
        self.post("chaos", config)


@pytest.fixture
def control(sandbox: SandboxInfo) -> Iterator[Control]:
    """Control API; the sandbox is reset (data and chaos) before each test."""
    control = Control(sandbox)
    control.post("reset", {})
    yield control
    control.post("chaos", {})


@pytest.fixture
async def portal_env(
    database_url: str,
    sandbox: SandboxInfo,
    smtp_server: SmtpServerInfo,
    control: Control,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[None]:
    """The portal's settings pointed at this database, the sandbox and the SMTP server."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv(
        "PARTNER_CENTER_SANDBOX_FILE", str(Path(sandbox.ca_file).parent / "sandbox.json")
    )
    monkeypatch.setenv("SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("SMTP_TLS", "none")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    get_settings.cache_clear()
    forget_shared_clients()
    yield
    await close_http_client()
    get_settings.cache_clear()
    forget_shared_clients()
