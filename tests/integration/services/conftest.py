"""The services over the wire: the sandbox over HTTPS with real MSAL, a real SMTP server.

Most service tests run in the fast tier (tests/services, an in-process Partner Center); the few
here prove what only the wire shows: the services' own Partner Center client, configured from
the settings the way a deployment is (DATABASE_URL, PARTNER_CENTER_SANDBOX_FILE, SMTP_*), gets
its tokens through MSAL and talks TLS to a served sandbox. They run on each database backend.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import hypothesis  # noqa: F401  (see tests/integration/partner_center/conftest.py)
import pytest

from o365portal.config import get_settings
from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from o365portal.services.partner_center import close_http_client, forget_shared_clients
from tests.sandboxes import HttpsSandbox
from tests.smtp_server import SmtpServerInfo, running_smtp_server


@pytest.fixture(scope="session")
def served_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """One sandbox over HTTPS for the session; its sandbox.json is what the services read."""
    data_dir = tmp_path_factory.mktemp("services-sandbox")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`verify=<str>` is deprecated", DeprecationWarning)
        with running_sandbox(data_dir=data_dir) as info:
            yield info


@pytest.fixture
def sandbox(served_sandbox: SandboxInfo) -> Iterator[HttpsSandbox]:
    """The served sandbox, reset (data and chaos) before the test."""
    https = HttpsSandbox(served_sandbox)
    https.reset()
    yield https
    https.reset()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServerInfo]:
    """A real SMTP server for the session."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture
async def portal_env(
    database_url: str,
    served_sandbox: SandboxInfo,
    sandbox: HttpsSandbox,
    smtp_server: SmtpServerInfo,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[None]:
    """The portal's settings pointed at this database, the sandbox and the SMTP server."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv(
        "PARTNER_CENTER_SANDBOX_FILE", str(Path(served_sandbox.ca_file).parent / "sandbox.json")
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
