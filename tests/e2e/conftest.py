"""Browser tests: the real app (`reflex run --env prod`, one port) driven by Debian's Chromium.

The frontend is built once per test session. E2E_STACK chooses the stack (tests/e2e/stack.py):
- `embedded` (default): SQLite file, in-memory Reflex state, one worker;
- `production`: a fresh PostgreSQL database, Redis state manager, two backend workers.
Test data is arranged through the services in this process, on the same database.
Every test runs at desktop (1280x800) and phone (390x844) size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import hypothesis  # noqa: F401  (see below)
import pytest
from playwright.sync_api import Browser, Page

from o365portal.config import get_settings
from o365portal.sandbox.core.server import SandboxInfo
from tests.e2e.secrets_in_logs import handled_secrets, leaked
from tests.e2e.stack import (
    Portal,
    StackError,
    chromium,
    partner_center_sandbox,
    portal_database,
    running_portal,
    stack_named,
)
from tests.smtp_server import SmtpServerInfo, running_smtp_server

# hypothesis is imported here, at collection, rather than by its pytest plugin's end-of-run
# summary: after the restart tests (test_restarts.py) CPython 3.11's compile() of a module then
# failed with "AST constructor recursion depth mismatch" (pytest rewrites plugin modules as it
# imports them), crashing the run after every test had passed. The cause is not found yet.
try:
    STACK = stack_named(os.environ.get("E2E_STACK", "embedded"))
except ValueError as error:
    raise pytest.UsageError(f"E2E_STACK: {error}") from None
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal's database for this session, migrated to head and set as DATABASE_URL."""
    with portal_database(STACK, tmp_path_factory.mktemp("e2e")) as url:
        yield url


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInfo]:
    """The Partner Center sandbox the portal talks to (its state is inspectable here)."""
    with partner_center_sandbox(tmp_path_factory.mktemp("sandbox")) as info:
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


@pytest.fixture(scope="session")
def portal(
    e2e_database_url: str,
    sandbox: SandboxInfo,
    smtp_server: SmtpServerInfo,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Portal]:
    """The app built once and served in production mode on one free port, events registered;
    once it has stopped, its log must hold none of the run's secrets (secrets_in_logs.py)."""
    folder = tmp_path_factory.mktemp("portal")
    try:
        with running_portal(e2e_database_url, sandbox, STACK, folder) as running:
            yield running
    except StackError as error:
        pytest.fail(str(error))
    secrets = handled_secrets(sandbox, smtp_server.received)  # the portal has stopped
    found = leaked(running.log, secrets)
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(
            f"\nsecrets in the portal's log: {len(secrets)} secrets searched in "
            f"{running.log.stat().st_size:,} bytes, {len(found)} found"
        )
    assert found == [], f"secrets in the portal's log {running.log}: {found}"


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
