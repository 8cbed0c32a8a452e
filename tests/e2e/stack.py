"""Starting the stack the browser tests run against, for them and for scripts/bench_live.py.

A database migrated to head, the Partner Center sandbox (in this process) and the portal itself
(`reflex run --env prod`, frontend and backend on one free port), either on the embedded default
(SQLite file, in-memory Reflex state, one worker) or on the production path (a fresh PostgreSQL
database, Redis state manager, two backend workers). Each step also points this process's
settings at what it started (DATABASE_URL, PARTNER_CENTER_SANDBOX_FILE, the pinned webhook
certificate), so services called here work on the same data as the portal. Nothing here needs
pytest: a failed start raises `StackError` with the end of the portal's log.
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
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
from playwright.sync_api import Browser, sync_playwright

from o365portal.config import get_settings
from o365portal.db.engine import dispose_engine
from o365portal.db.migrate import upgrade
from o365portal.sandbox.core.server import SandboxInfo, running_sandbox
from o365portal.services.partner_center import close_http_client
from o365portal.services.sync import subscribe_to_events
from tests.databases import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
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
Stack = Literal["embedded", "production"]
STACKS: tuple[Stack, ...] = ("embedded", "production")


def stack_named(name: str) -> Stack:
    """The stack called `name`; ValueError naming the choices for any other."""
    for stack in STACKS:
        if name == stack:
            return stack
    raise ValueError(f"the stack must be one of {', '.join(STACKS)}, not {name!r}")


class StackError(RuntimeError):
    """The portal did not start (the message ends with its log)."""


@dataclass(frozen=True)
class Portal:
    """A running portal: where it listens and its backend processes."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    sandbox: SandboxInfo


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings_changed(**values: str) -> None:
    os.environ.update(values)
    get_settings.cache_clear()


@contextmanager
def portal_database(stack: Stack, folder: Path) -> Iterator[str]:
    """A fresh database for the stack (SQLite in `folder`, or a new PostgreSQL database dropped
    afterwards), migrated to head and set as DATABASE_URL."""
    if stack == "production":
        with fresh_postgres_database(POSTGRES_URL) as url:
            yield from _use_database(url)
    else:
        yield from _use_database(f"sqlite:///{folder / 'portal.db'}")


def _use_database(url: str) -> Iterator[str]:
    _settings_changed(DATABASE_URL=url)
    upgrade(url)
    yield url
    dispose_engine(url)


@contextmanager
def partner_center_sandbox(data_dir: Path) -> Iterator[SandboxInfo]:
    """The Partner Center sandbox (in a thread of this process), set as the portal's."""
    with running_sandbox(data_dir=data_dir) as info:
        _settings_changed(PARTNER_CENTER_SANDBOX_FILE=str(data_dir / "sandbox.json"))
        yield info


def portal_environment(
    database_url: str, stack: Stack, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The portal process's environment: this one, the database, fast job loops for tests, the
    stack's state manager and workers, then `overrides`."""
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
    if stack == "production":
        env |= {"REFLEX_REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "2"}
    else:
        env.pop("REFLEX_REDIS_URL", None)
    return env | dict(overrides or {})


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Return once the portal answers /ping and its sign-in page; `StackError` if it exits or
    takes longer than STARTUP_SECONDS."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"the portal exited ({process.returncode}):\n{_tail(log)}")
        try:
            pinged = httpx.get(f"{url}/ping", timeout=2).status_code == 200
            if pinged and httpx.get(f"{url}/login", timeout=5, follow_redirects=True).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise StackError(f"the portal did not start in {STARTUP_SECONDS} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


def pin_webhook_certificate(sandbox: SandboxInfo, path: Path, port: int) -> None:
    """Pin the sandbox's event-signing certificate for the portal (as a broker would)."""
    answer = httpx.get(
        f"{sandbox.base_url}/_sandbox/webhook-cert.pem",
        verify=ssl.create_default_context(cafile=sandbox.ca_file),
        timeout=10,
    )
    answer.raise_for_status()
    path.write_bytes(answer.content)
    _settings_changed(
        PARTNER_CENTER_WEBHOOK_CERT_FILE=str(path), PORTAL_PUBLIC_URL=f"http://127.0.0.1:{port}"
    )


def register_webhook(url: str) -> None:
    """Have the sandbox post its events to the portal at `url` (as `make run` does)."""

    async def register() -> None:
        try:
            await subscribe_to_events(url)
        finally:
            await close_http_client()

    with ThreadPoolExecutor(1) as pool:  # Playwright may own this thread's event loop
        pool.submit(asyncio.run, register()).result()


@contextmanager
def running_portal(
    database_url: str,
    sandbox: SandboxInfo,
    stack: Stack,
    folder: Path,
    *,
    webhook: bool = True,
    overrides: Mapping[str, str] | None = None,
) -> Iterator[Portal]:
    """The portal built and served in production mode on one free port (its log in `folder`),
    with the sandbox's webhook certificate pinned and, if `webhook`, its events registered;
    `overrides` are set in its environment. Stopped (its whole process group) afterwards."""
    port = free_port()
    log = folder / "portal.log"
    pin_webhook_certificate(sandbox, folder / "webhook-cert.pem", port)
    reflex = str(Path(sys.executable).with_name("reflex"))
    command = [reflex, "run", "--env", "prod", "--frontend-port", str(port)]
    command += ["--backend-port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=portal_environment(database_url, stack, overrides),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
        if webhook:
            register_webhook(url)  # the sandbox posts its events to this portal
        yield Portal(url=url, process=process, log=log, sandbox=sandbox)
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in a session of its own, and its children (SIGKILL after 20 s)."""
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
