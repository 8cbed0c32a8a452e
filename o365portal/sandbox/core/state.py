"""All sandbox data, its lock, its clock and its persistence.

Interface for area modules (keep it stable; the commerce modules build on it):

- `state.table(CUSTOMERS) -> dict[str, CustomerRow]`: a table of plain JSON-able rows keyed
  by id, created on first use. Rows are dicts with camelCase keys (the wire names); rows that
  belong to a customer carry `"customerId"`. Every table the sandbox uses is a typed `Table`
  constant in rows.py, beside the `TypedDict` of its rows, so mypy refuses a misspelt key.
  `state.table("name")` (a plain string) gives the same table untyped, for generic code
  (removing a customer's rows from every table) and tests.
- `with state.lock:` around every read-modify-write. Handlers `await` the request body first
  and then work synchronously inside the lock: the event loop and test threads share the data.
- `state.now()`: the sandbox clock (see clock.py); never `datetime.now()`.
- `state.partner_tenant_id`, `state.partner_domain`, `state.integration_app`,
  `state.portal_app` (the "Partner Center portal" app: its calls stand for a person working
  in Microsoft's Partner Center web portal, i.e. changes made outside the broker's portal).
- `state.base_url`: where this sandbox is served (set by server.py), for absolute URIs such as
  webhook `ResourceUri`/`AuditUri`.
- Persistence: with a data dir the state loads `DIR/state.json` on start, and the app calls
  `save_if_changed()` after every request (atomic write: temporary file + rename). Without a
  data dir everything stays in memory (tests).
- `reset()` empties every table; app registrations, issued tokens, the clock and the
  certificates survive.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from o365portal.sandbox.core.clock import SandboxClock

STATE_FILE = "state.json"
INTEGRATION_ROLE = "integration"
PORTAL_ROLE = "portal"


@dataclass(frozen=True)
class AppRegistration:
    """An Entra app registration allowed to call the sandbox."""

    client_id: str
    client_secret: str
    display_name: str
    role: str


RowT = TypeVar("RowT")


@dataclass(frozen=True)
class Table(Generic[RowT]):
    """The name of a table together with the type of its rows (see rows.py)."""

    name: str


def _new_app(display_name: str, role: str) -> AppRegistration:
    return AppRegistration(str(uuid.uuid4()), secrets.token_urlsafe(30), display_name, role)


class SandboxState:
    """The sandbox's data: named tables, identity records, clock and app registrations."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.lock = threading.RLock()
        self.data_dir = data_dir
        self.clock = SandboxClock()
        self.partner_tenant_id = str(uuid.uuid4())
        self.partner_domain = f"sandboxpartner{secrets.randbelow(10**6):06d}.onmicrosoft.com"
        self.apps: dict[str, AppRegistration] = {}
        for app in (
            _new_app("o365portal integration", INTEGRATION_ROLE),
            _new_app("Partner Center portal", PORTAL_ROLE),
        ):
            self.apps[app.client_id] = app
        self.identity: dict[str, Any] = {"access": {}, "refresh": {}}
        self.base_url = "https://127.0.0.1:8443"
        self._tables: dict[str, dict[str, dict[str, Any]]] = {}
        self._saved_text = ""
        if data_dir is not None:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._load()

    def now(self) -> datetime:
        """The current sandbox instant (UTC, follows the control API's clock)."""
        return self.clock.now()

    @overload
    def table(self, name: Table[RowT]) -> dict[str, RowT]: ...

    @overload
    def table(self, name: str) -> dict[str, dict[str, Any]]: ...

    def table(self, name: Table[Any] | str) -> dict[str, Any]:
        """The table (created empty on first use), typed when given its `Table` constant.

        This is the one place where stored rows are trusted to have their table's row type:
        the sandbox writes every row through its typed table (state.json holds what it wrote).
        """
        key = name if isinstance(name, str) else name.name
        with self.lock:
            return self._tables.setdefault(key, {})

    def table_names(self) -> list[str]:
        """The names of the tables created so far."""
        with self.lock:
            return list(self._tables)

    def app_with_role(self, role: str) -> AppRegistration:
        """The app registration with the given role (`integration` or `portal`)."""
        return next(app for app in self.apps.values() if app.role == role)

    @property
    def integration_app(self) -> AppRegistration:
        """The app the broker's portal uses."""
        return self.app_with_role(INTEGRATION_ROLE)

    @property
    def portal_app(self) -> AppRegistration:
        """The app standing for a person using Microsoft's Partner Center web portal."""
        return self.app_with_role(PORTAL_ROLE)

    def reset(self) -> None:
        """Forget all customer data; keep apps, tokens, clock and certificates."""
        with self.lock:
            self._tables.clear()

    def to_json(self) -> dict[str, Any]:
        """The whole state as one JSON-able dict."""
        with self.lock:
            return {
                "version": 1,
                "partnerTenantId": self.partner_tenant_id,
                "partnerDomain": self.partner_domain,
                "apps": [asdict(app) for app in self.apps.values()],
                "identity": self.identity,
                "clock": self.clock.to_json(),
                "tables": self._tables,
            }

    def save_if_changed(self) -> None:
        """Write `state.json` atomically when a data dir is set and the data changed."""
        if self.data_dir is None:
            return
        with self.lock:
            text = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True)
            if text == self._saved_text:
                return
            _write_atomically(self.data_dir / STATE_FILE, text)
            self._saved_text = text

    def _load(self) -> None:
        assert self.data_dir is not None
        path = self.data_dir / STATE_FILE
        if not path.exists():
            self.save_if_changed()
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.partner_tenant_id = data["partnerTenantId"]
            self.partner_domain = data["partnerDomain"]
            self.apps = {app["client_id"]: AppRegistration(**app) for app in data["apps"]}
            self.identity = data["identity"]
            self.clock = SandboxClock.from_json(data["clock"])
            self._tables = data["tables"]
        except (ValueError, KeyError, TypeError) as exc:
            raise RuntimeError(
                f"{path} is not a readable sandbox state ({exc!r}); move it away to start afresh"
            ) from exc
        self._saved_text = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True)


def _write_atomically(path: Path, text: str) -> None:
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".state-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp_name).chmod(0o600)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


Processor = Callable[[SandboxState, datetime], None]
"""Time-based work run before every request (and after the clock moves) with `state.now()`.

A processor must be idempotent for a given instant: look at what is due at `now` (orders
to provision, renewals, month-end invoices), do it once, and record that it is done.
"""
