"""Serving the sandbox over HTTPS with uvicorn.

- `serve(port, data_dir, host)`: the CLI's blocking server; writes `DIR/sandbox.json`.
- `running_sandbox(data_dir=None, port=0)`: a context manager for tests that runs uvicorn in
  a background thread on a free port (in-memory state and a temporary CA dir when
  `data_dir` is None), waits until it answers, and yields a `SandboxInfo` (the sandbox.json
  fields plus `state`, the live `SandboxState`).
"""

from __future__ import annotations

import json
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

import httpx
import uvicorn

from o365portal.sandbox.core.app import create_app
from o365portal.sandbox.core.identity import bootstrap_refresh_token
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.core.tls import CertificatePaths, ensure_certificates

INFO_FILE = "sandbox.json"
STARTUP_SECONDS = 20.0


@dataclass(frozen=True)
class SandboxInfo:
    """How to reach a running sandbox (the fields of sandbox.json) and its live state."""

    base_url: str
    authority: str
    client_id: str
    client_secret: str
    partner_tenant_id: str
    ca_file: str
    refresh_token: str
    portal_client_id: str
    portal_client_secret: str
    state: SandboxState = field(repr=False, compare=False)

    def to_json(self) -> dict[str, str]:
        """The sandbox.json content (everything but `state`)."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if f.name != "state"}


def sandbox_info(state: SandboxState, host: str, port: int, ca_file: Path) -> SandboxInfo:
    """The connection details of a sandbox serving `state` on `host:port`."""
    shown_host = f"[{host}]" if ":" in host else host
    base_url = f"https://{shown_host}:{port}"
    state.base_url = base_url
    return SandboxInfo(
        base_url=base_url,
        authority=f"{base_url}/{state.partner_tenant_id}",
        client_id=state.integration_app.client_id,
        client_secret=state.integration_app.client_secret,
        partner_tenant_id=state.partner_tenant_id,
        ca_file=str(ca_file.resolve()),
        refresh_token=bootstrap_refresh_token(state),
        portal_client_id=state.portal_app.client_id,
        portal_client_secret=state.portal_app.client_secret,
        state=state,
    )


def write_info_file(info: SandboxInfo, data_dir: Path) -> Path:
    """Write `DIR/sandbox.json` (owner-readable only: it holds secrets)."""
    path = data_dir / INFO_FILE
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(info.to_json(), indent=2) + "\n", encoding="utf-8")
    return path


def _uvicorn_config(
    state: SandboxState, host: str, port: int, certs: CertificatePaths, grace: int = 2
) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(state),
        host=host,
        port=port,
        ssl_certfile=str(certs.cert_file),
        ssl_keyfile=str(certs.key_file),
        log_level="warning",
        lifespan="off",
        ws="none",
        http="h11",
        timeout_graceful_shutdown=grace,
    )


def serve(port: int, data_dir: Path, host: str = "127.0.0.1") -> None:
    """Run the sandbox until interrupted, persisting to `data_dir`."""
    state = SandboxState(data_dir)
    certs = ensure_certificates(data_dir)
    info = sandbox_info(state, host, port, certs.ca_file)
    state.save_if_changed()
    path = write_info_file(info, data_dir)
    print(f"Partner Center sandbox on {info.base_url} - connection details in {path}")  # noqa: T201
    uvicorn.Server(_uvicorn_config(state, host, port, certs)).run()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> int:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    port: int = server.servers[0].sockets[0].getsockname()[1]
    return port


@contextmanager
def running_sandbox(data_dir: Path | None = None, port: int = 0) -> Iterator[SandboxInfo]:
    """Run a sandbox in a background thread for the duration of the `with` block."""
    with tempfile.TemporaryDirectory(prefix="pc-sandbox-") as temp:
        cert_dir = data_dir if data_dir is not None else Path(temp)
        state = SandboxState(data_dir)
        certs = ensure_certificates(cert_dir)
        server = uvicorn.Server(_uvicorn_config(state, "127.0.0.1", port, certs, grace=1))
        thread = threading.Thread(target=server.run, name="pc-sandbox", daemon=True)
        thread.start()
        try:
            info = sandbox_info(
                state, "127.0.0.1", _wait_until_started(server, thread), certs.ca_file
            )
            if data_dir is not None:
                write_info_file(info, data_dir)
            trust = ssl.create_default_context(cafile=info.ca_file)
            httpx.get(f"{info.base_url}/_sandbox/health", verify=trust).raise_for_status()
            yield info
        finally:
            server.should_exit = True
            thread.join(timeout=10)
