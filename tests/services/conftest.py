"""The fast service tier: the services against an in-process Partner Center and SQLite in RAM.

`sandbox` is a `PartnerCenterFake` (tests/fakes/partner_center.py): the sandbox's own app behind
an httpx transport, so these tests need no TLS, socket or MSAL and the tier runs in seconds.
`portal_env` points the services at it through their one seam (`use_partner_center`) and sets
DATABASE_URL and SMTP_* the way a deployment does. Faults come from the fake (`control.chaos`,
`control.kill_worker_after`), never from patching the portal.

The database is migrated once per session and shared (tests create rows with unique values).
By default it is SQLite in a RAM-backed folder (/dev/shm): `sqlite://` in memory would be one
database per connection, and a shared-cache memory database locks whole tables without waiting,
unlike the file the portal runs on, so the job-runner races would test the wrong thing.
SERVICES_DATABASES=postgres (or "sqlite,postgres", as `make test` and `make test-integration`
set it) runs the same tests on PostgreSQL too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from o365portal.config import get_settings
from o365portal.db.engine import dispose_engine
from o365portal.db.migrate import upgrade
from o365portal.services.partner_center import use_partner_center
from tests.databases import fresh_postgres_database
from tests.fakes.partner_center import PartnerCenterFake
from tests.smtp_server import SmtpServerInfo, running_smtp_server

_RAM = Path("/dev/shm")
_BACKENDS = {"sqlite": "sqlite", "postgres": pytest.param("postgres", marks=pytest.mark.postgres)}


def _backends() -> list[object]:
    wanted = os.environ.get("SERVICES_DATABASES", "sqlite").replace(",", " ").split()
    unknown = set(wanted) - set(_BACKENDS)
    if unknown:
        raise pytest.UsageError(f"SERVICES_DATABASES: unknown {sorted(unknown)}")
    return [_BACKENDS[name] for name in wanted]


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The session's database migrated to head (SQLite in RAM, or PostgreSQL)."""
    if request.param == "postgres":
        with fresh_postgres_database(request.getfixturevalue("postgres_server_url")) as url:
            upgrade(url)
            yield url
        return
    folder = tempfile.mkdtemp(prefix="services-", dir=_RAM if _RAM.is_dir() else None)
    url = f"sqlite:///{folder}/portal.db"
    try:
        upgrade(url)
        yield url
    finally:
        dispose_engine(url)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[PartnerCenterFake]:
    """One in-process Partner Center for the session."""
    fake = PartnerCenterFake()
    yield fake
    fake.close()


@pytest.fixture
def control(sandbox: PartnerCenterFake) -> Iterator[PartnerCenterFake]:
    """The same Partner Center, reset (data, chaos, planned deaths) before the test."""
    sandbox.reset()
    yield sandbox
    sandbox.reset()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServerInfo]:
    """A real SMTP server for the session."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def portal_env(
    database_url: str,
    smtp_server: SmtpServerInfo,
    control: PartnerCenterFake,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    """The portal's settings pointed at this database and the SMTP server, and its Partner
    Center client at the in-process one."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("SMTP_TLS", "none")
    get_settings.cache_clear()
    with use_partner_center(control.client):
        yield
    get_settings.cache_clear()
