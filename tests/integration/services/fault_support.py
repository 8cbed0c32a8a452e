"""Killing a portal process midway, letting time pass, and keeping the fault tests' score.

`Worker` starts `tests/integration/fault_worker.py` as a child process with the test's portal
environment; `kill_when(condition)` waits until the child is at the chosen point (seen from
outside: a row in Partner Center's or the portal's data) and SIGKILLs it. `let_time_pass()`
does to the database what the minutes after a crash do: every lease runs out and every claim
becomes stale (the restarted jobs then take over, as they would after STALE_AFTER). `Score`
counts the faults injected per kind and what was lost or done twice after recovery.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.scheduled_orders import ScheduledOrder
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.sync import JobLease
from o365portal.services.principal import Principal

KILL_WAIT_SECONDS = 60.0
AFTER_A_CRASH = timedelta(minutes=15)  # longer than every lease and STALE_AFTER


def principal_args(principal: Principal) -> dict[str, Any]:
    """A principal as the worker's JSON arguments carry it."""
    return {
        "account_id": principal.account_id,
        "email": principal.email,
        "name": principal.name,
        "role": principal.role.value,
        "organization_id": principal.organization_id,
    }


@dataclass
class Worker:
    """One portal process doing one step (see fault_worker.py)."""

    step: str
    args: dict[str, Any]
    process: subprocess.Popen[str] = field(init=False)

    def __post_init__(self) -> None:
        command = [sys.executable, "-m", "tests.integration.fault_worker", self.step]
        self.process = subprocess.Popen(
            [*command, json.dumps(self.args)],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def kill_when(self, condition: Callable[[], bool]) -> None:
        """SIGKILL the process as soon as `condition()` holds (checked every 20 ms); fail if
        the process ends first or the condition never comes."""
        deadline = time.monotonic() + KILL_WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"the worker ended before the kill point:\n{out}\n{err}")
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"the kill point of {self.step} never came")
            time.sleep(0.02)
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.communicate(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def finish(self) -> str:
        """Wait for the process to end by itself; its output (fails on an error exit)."""
        out, err = self.process.communicate(timeout=KILL_WAIT_SECONDS)
        assert self.process.returncode == 0, err
        return out


def let_time_pass(by: timedelta = AFTER_A_CRASH) -> None:
    """Move the leases' expiry and the claims' stamps `by` into the past: what waiting that long
    after a crash does (the dead worker's leases run out, its claims go stale)."""
    with session_scope() as session:
        leases = session.exec(select(JobLease)).all()
        subscriptions = session.exec(
            select(Subscription).where(col(Subscription.status) == "provisioning")
        ).all()
        placing = session.exec(
            select(ScheduledOrder).where(col(ScheduledOrder.status) == "placing")
        ).all()
        carrying_out = session.exec(
            select(ApprovalRequest).where(col(ApprovalRequest.status) == "carrying_out")
        ).all()
        for lease in leases:
            lease.expires_at -= by
            session.add(lease)
        for row in [*subscriptions, *placing]:
            row.updated_at -= by
            session.add(row)
        for request in carrying_out:
            assert request.decided_at is not None
            request.decided_at -= by
            session.add(request)


@dataclass
class Score:
    """The faults injected per kind and, after recovery, what was lost or done twice."""

    injected: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    doubled: int = 0
    known: Counter[str] = field(default_factory=Counter)  # lost or doubled by a known bug

    def record(self, kind: str, *, lost: int, doubled: int, known_bug: bool = False) -> None:
        """One fault of `kind` injected and recovered from, with what it cost (counted apart
        when a test marked xfail shows a bug known and not fixed yet)."""
        self.injected[kind] += 1
        if known_bug:
            self.known[kind] += lost + doubled
            return
        self.lost += lost
        self.doubled += doubled

    def line(self) -> str:
        """The summary `make test` prints."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.injected.items()))
        total = sum(self.injected.values())
        known = ", ".join(f"{kind} {count}" for kind, count in sorted(self.known.items()))
        line = f"faults injected: {total} ({kinds}); lost {self.lost}, doubled {self.doubled}"
        return line + (f"; known bugs (xfail), lost or doubled: {known}" if known else "")
