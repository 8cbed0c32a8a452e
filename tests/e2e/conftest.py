"""Browser tests: the real app (`reflex run --env prod`, one port) driven by Debian's Chromium.

The frontend is built once per test session. E2E_STACK chooses the stack:
- `embedded` (default): SQLite file, in-memory Reflex state, one worker;
- `production`: a fresh PostgreSQL database, Redis state manager, two backend workers.
Test data is arranged through the services in this process, on the same database.
Every test runs at desktop (1280x800) and phone (390x844) size.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from o365portal.config import get_settings
from o365portal.db.engine import dispose_engine
from o365portal.db.migrate import upgrade
from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from o365portal.services.partner_center import close_http_client
from o365portal.services.sync import subscribe_to_events
from tests.conftest import _fresh_postgres_database
from tests.smtp_server import SmtpServerInfo, running_smtp_server

ROOT = Path(__file__).resolve().parents[2]
STACK = os.environ.get("E2E_STACK", "embedded")
REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
STARTUP_SECONDS = 240
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@dataclass(frozen=True)
class Portal:
    """A running portal: where it listens and its backend processes."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    sandbox: SandboxInfo


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal's database for this session, migrated to head and set as DATABASE_URL."""
    if STACK == "production":
        with _fresh_postgres_database(POSTGRES_URL) as url:
            yield from _use_database(url)
    else:
        yield from _use_database(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'portal.db'}")


def _use_database(url: str) -> Iterator[str]:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    upgrade(url)
    yield url
    dispose_engine(url)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """The Partner Center sandbox the portal talks to (its state is inspectable here)."""
    data_dir = tmp_path_factory.mktemp("sandbox")
    with running_sandbox(data_dir=data_dir) as info:
        os.environ["PARTNER_CENTER_SANDBOX_FILE"] = str(data_dir / "sandbox.json")
        get_settings.cache_clear()
        yield info


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServerInfo]:
    """A real SMTP server the portal under test sends its e-mail to (see tests/smtp_server.py)."""
    with running_smtp_server() as server:
        os.environ |= {
            "SMTP_HOST": server.host,
            "SMTP_PORT": str(server.port),
            "SMTP_TLS": "none",
            "MAIL_JOB_INTERVAL_SECONDS": "0.5",
        }
        get_settings.cache_clear()
        yield server


def _portal_environment(database_url: str) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    env = os.environ | {
        "DATABASE_URL": database_url,
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "O365PORTAL_ENV": "test",
        "SCHEDULED_ORDERS_INTERVAL_SECONDS": "2",  # scheduled orders go live within seconds
        "PROVISIONING_INTERVAL_SECONDS": "1",  # provisioned orders turn active within a second
    }
    if STACK == "production":
        env |= {"REFLEX_REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "2"}
    else:
        env.pop("REFLEX_REDIS_URL", None)
    return env


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the portal exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            pinged = httpx.get(f"{url}/ping", timeout=2).status_code == 200
            if pinged and httpx.get(f"{url}/login", timeout=5, follow_redirects=True).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"the portal did not start in {STARTUP_SECONDS} s:\n{log.read_text()[-4000:]}")


def _pin_webhook_certificate(sandbox: SandboxInfo, path: Path, port: int) -> None:
    """Pin the sandbox's event-signing certificate for the portal (as a broker would)."""
    answer = httpx.get(
        f"{sandbox.base_url}/_sandbox/webhook-cert.pem",
        verify=ssl.create_default_context(cafile=sandbox.ca_file),
        timeout=10,
    )
    answer.raise_for_status()
    path.write_bytes(answer.content)
    os.environ["PARTNER_CENTER_WEBHOOK_CERT_FILE"] = str(path)
    os.environ["PORTAL_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    get_settings.cache_clear()


def _register_webhook(url: str) -> None:
    async def register() -> None:
        try:
            await subscribe_to_events(url)
        finally:
            await close_http_client()

    with ThreadPoolExecutor(1) as pool:  # Playwright may own this thread's event loop
        pool.submit(asyncio.run, register()).result()


@pytest.fixture(scope="session")
def portal(
    e2e_database_url: str,
    sandbox: SandboxInfo,
    smtp_server: SmtpServerInfo,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Portal]:
    """The app built once and served in production mode on one free port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("portal") / "portal.log"
    _pin_webhook_certificate(sandbox, log.parent / "webhook-cert.pem", port)
    reflex = str(Path(sys.executable).with_name("reflex"))
    command = [
        reflex,
        "run",
        "--env",
        "prod",
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_portal_environment(e2e_database_url),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        _register_webhook(url)  # the sandbox posts its events to this portal
        yield Portal(url=url, process=process, log=log, sandbox=sandbox)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (CHROMIUM overrides the binary) with the flags this machine needs."""
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def browser_page(browser: Browser, base_url: str, viewport: str) -> Iterator[Page]:
    """A fresh browser context at the viewport's size; fails on a page error."""
    phone = viewport == "phone"
    context = browser.new_context(
        base_url=base_url, viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
    finally:
        context.close()
    assert errors == []


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once."""
    with chromium() as launched:
        yield launched


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Each browser test runs on a desktop and on a phone."""
    return str(request.param)


@pytest.fixture
def page(browser: Browser, portal: Portal, viewport: str) -> Iterator[Page]:
    """A fresh browser context at the viewport's size; fails the test on a page error."""
    with browser_page(browser, portal.url, viewport) as opened:
        yield opened
