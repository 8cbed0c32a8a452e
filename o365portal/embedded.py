"""`python -m o365portal.embedded`: the portal on the embedded default, as `make run` starts it.

SQLite in the data folder (PORTAL_DATA_DIR, default var/), the built-in Partner Center sandbox on
https://localhost:8443 (SANDBOX_PORT; a child process reached over HTTPS like the real service),
demo data, and the Reflex app in production mode on one port (PORTAL_PORT, default 3000).
Demo data is created only here, never by the app itself.
"""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx

from o365portal.config import PROJECT_ROOT, Settings, get_settings
from o365portal.db import migrate
from o365portal.demo import DemoSignIn, seed_demo_data, seed_demo_prices, seed_demo_subscriptions
from o365portal.services.errors import ServiceError
from o365portal.services.pricing import refresh_catalog_at_startup
from o365portal.services.sync import subscribe_to_events

STARTUP_SECONDS = 300


def _answers(url: str, ca_file: Path | None) -> bool:
    if ca_file is not None and not ca_file.exists():
        return False  # the sandbox writes its CA on first start
    verify = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
    try:
        return httpx.get(url, verify=verify, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def _wait_for(url: str, *, ca_file: Path | None = None, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url} stopped answering: exit code {process.returncode}")
        if _answers(url, ca_file):
            return
        time.sleep(0.5)
    sys.exit(f"{url} did not answer within {STARTUP_SECONDS} s")


def _sandbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "sandbox"


def _start_sandbox(settings: Settings) -> subprocess.Popen[bytes]:
    port, data_dir = settings.sandbox_port, _sandbox_dir(settings)
    command = [
        sys.executable,
        "-m",
        "o365portal.sandbox",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT)
    _wait_for(
        f"https://127.0.0.1:{port}/_sandbox/health",
        ca_file=data_dir / "ca.pem",
        process=process,
    )
    return process


def _start_portal(settings: Settings, env: dict[str, str]) -> subprocess.Popen[bytes]:
    reflex = str(Path(sys.executable).with_name("reflex"))
    port = str(settings.portal_port)
    command = [reflex, "run", "--env", "prod", "--frontend-port", port, "--backend-port", port]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)
    _wait_for(f"http://127.0.0.1:{port}/ping", process=process)
    return process


def _refresh_catalog(env: dict[str, str]) -> None:
    """Fill the catalog cache (and the sandbox's list prices as cost) before the portal opens."""
    os.environ["PARTNER_CENTER_SANDBOX_FILE"] = env["PARTNER_CENTER_SANDBOX_FILE"]
    get_settings.cache_clear()
    try:
        result = asyncio.run(refresh_catalog_at_startup())
    except ServiceError as error:
        print(f"  Catalog not refreshed: {error}", flush=True)  # noqa: T201 - start-up output
        return
    print(f"  Catalog refreshed: {result.items} items.", flush=True)  # noqa: T201
    priced = seed_demo_prices()
    print(f"  Demo sales prices set (cost + 20 %): {priced}.", flush=True)  # noqa: T201
    try:
        ordered = asyncio.run(seed_demo_subscriptions())
    except ServiceError as error:
        print(f"  Demo subscriptions not ordered: {error}", flush=True)  # noqa: T201
        return
    if ordered:
        print(f"  Demo tenant for Fabrikam with {ordered} subscriptions.", flush=True)  # noqa: T201


def _connect_webhooks(settings: Settings, env: dict[str, str]) -> None:
    """Pin the sandbox's event-signing certificate and have it post events to the portal, as a
    broker does once with Partner Center (docs/sync.md)."""
    sandbox_dir = _sandbox_dir(settings)
    certificate = sandbox_dir / "webhook-cert.pem"
    answer = httpx.get(
        f"https://127.0.0.1:{settings.sandbox_port}/_sandbox/webhook-cert.pem",
        verify=ssl.create_default_context(cafile=str(sandbox_dir / "ca.pem")),
        timeout=10,
    )
    answer.raise_for_status()
    certificate.write_bytes(answer.content)
    public_url = f"http://127.0.0.1:{settings.portal_port}"
    env |= {"PARTNER_CENTER_WEBHOOK_CERT_FILE": str(certificate), "PORTAL_PUBLIC_URL": public_url}
    try:
        asyncio.run(subscribe_to_events(public_url))
    except ServiceError as error:
        print(f"  Webhooks not registered: {error}", flush=True)  # noqa: T201 - start-up output


def _banner(settings: Settings, sign_ins: list[DemoSignIn]) -> str:
    rows = [f"  {s.role:<9} {s.email:<34} {s.password}" for s in sign_ins]
    return "\n".join(
        [
            "",
            f"  o365portal is running at http://localhost:{settings.portal_port}",
            f"  Partner Center sandbox: https://localhost:{settings.sandbox_port}",
            f"  (connection details in {_sandbox_dir(settings) / 'sandbox.json'})",
            "",
            "  Demo sign-ins:",
            f"  {'role':<9} {'e-mail':<34} password",
            *rows,
            "",
            "  Press Ctrl+C to stop.",
            "",
        ]
    )


def main() -> None:
    """Migrate, start the sandbox, seed the demo data, then serve the portal until Ctrl+C."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the children on TERM too
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    sandbox = _start_sandbox(settings)
    sandbox_file = _sandbox_dir(settings) / "sandbox.json"
    env = os.environ | {
        "PORTAL_DATA_DIR": str(settings.data_dir),  # absolute: the portal runs in PROJECT_ROOT
        "PARTNER_CENTER_SANDBOX_FILE": str(sandbox_file),
    }
    portal = None
    try:
        sign_ins = seed_demo_data()
        _refresh_catalog(env)
        _connect_webhooks(settings, env)
        portal = _start_portal(settings, env)
        print(_banner(settings, sign_ins), flush=True)  # noqa: T201 - the start-up banner is the point
        portal.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (portal, sandbox):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=15)


if __name__ == "__main__":
    main()
