"""Fixtures for the Partner Center sandbox tests: one HTTPS sandbox per test session, reset
before each test, and httpx clients holding App+User or app-only tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from tests.integration.sandbox.helpers import app_token, client_with, trust, user_token


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxInfo]:
    with running_sandbox() as info:
        yield info


@pytest.fixture(autouse=True)
def _fresh_sandbox(sandbox: SandboxInfo) -> None:
    with httpx.Client(base_url=sandbox.base_url, verify=trust(sandbox)) as control:
        control.post("/_sandbox/reset").raise_for_status()
        control.post(
            "/_sandbox/clock", json={"now": datetime.now(UTC).isoformat(), "frozen": False}
        ).raise_for_status()


@pytest.fixture
def pc(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """A client with an App+User token of the integration app (like the portal)."""
    with client_with(sandbox, user_token(sandbox)) as client:
        yield client


@pytest.fixture
def pc_app(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """A client with an app-only token."""
    with client_with(sandbox, app_token(sandbox)) as client:
        yield client


@pytest.fixture
def control(sandbox: SandboxInfo) -> Iterator[httpx.Client]:
    """A client for the `/_sandbox` control API (no token)."""
    with client_with(sandbox, None) as client:
        yield client
