"""One sync pass at a time, across every worker and the shell: the `partner-center-sync` lease,
the run's row (kind, progress, changes, error), and each tenant's status.

`run_sync()` is what the jobs, the sync page's buttons and `python -m o365portal sync --once`
all call. It takes the lease first (a second caller gets `SyncBusy`), renews it while the pass
makes progress, and gives it back at the end; a worker killed mid-pass leaves a lease that runs
out and a `running` row that the next pass marks `interrupted`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from sqlmodel import col, select, update

from o365portal.db.engine import session_scope
from o365portal.db.leases import release_lease, try_acquire_lease
from o365portal.db.tables.sync import SyncRun
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import PartnerCenterError
from o365portal.partner_center.pipeline import CallStats
from o365portal.services import clock
from o365portal.services.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceError,
    translate,
)
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.sync._full import full_pass, reconcile_customer
from o365portal.services.sync._incremental import incremental_pass
from o365portal.services.sync._refresh import tenant_status

SYNC_LEASE = "partner-center-sync"
LEASE_POLL_SECONDS = 0.5
BUTTON_WAIT_SECONDS = 30.0  # a button waits this long for a running pass before saying so
LEASE_TTL = timedelta(minutes=5)  # renewed on progress, so only a dead pass lets it run out
logger = logging.getLogger("o365portal.sync")
Kind = Literal["incremental", "full", "tenant"]


class SyncBusy(ServiceError):
    """Another sync pass is running (in this or another worker, or from the shell)."""

    def __init__(self) -> None:
        super().__init__("A sync with Partner Center is already running; it will show here.")


@dataclass(frozen=True)
class SyncReport:
    """What one pass did."""

    run_id: int
    kind: str
    changes: int
    seconds: float
    error: str | None
    calls: CallStats | None = None  # what the pass cost in Partner Center requests


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _take(holder: str) -> bool:
    with session_scope() as session:
        return try_acquire_lease(session, SYNC_LEASE, holder, LEASE_TTL, datetime.now(UTC))


def _start(kind: str, now: datetime) -> int:
    with session_scope() as session:
        session.exec(
            update(SyncRun)
            .where(col(SyncRun.status) == "running")
            .values(status="interrupted", finished_at=now)
        )
        run = SyncRun(kind=kind, status="running", started_at=now)
        session.add(run)
        session.flush()
        assert run.id is not None
        return run.id


class _Progress:
    """Writes a pass's progress to its row (at most once a second) and renews the lease."""

    def __init__(self, run_id: int, holder: str) -> None:
        self.run_id, self.holder, self._written = run_id, holder, 0.0

    def __call__(self, done: int, total: int, changes: int) -> None:
        moment = time.monotonic()
        if moment - self._written < 1.0 and done < total:
            return
        self._written = moment
        with session_scope() as session:
            session.exec(
                update(SyncRun)
                .where(col(SyncRun.id) == self.run_id)
                .values(done=done, total=total, changes=changes)
            )
            try_acquire_lease(session, SYNC_LEASE, self.holder, LEASE_TTL, datetime.now(UTC))


def _finish(run_id: int, changes: int, error: str | None) -> None:
    with session_scope() as session:
        run = session.get(SyncRun, run_id)
        assert run is not None
        run.status = "failed" if error else "done"
        run.finished_at = clock.now()
        run.changes = changes if not error else run.changes
        run.error = error
        session.add(run)


def _record_tenant_error(customer_id: str, message: str) -> None:
    with session_scope() as session:
        tenant = session.exec(select(Tenant).where(Tenant.customer_id == customer_id)).first()
        if tenant is None:
            return
        status = tenant_status(session, tenant)
        status.last_error, status.last_error_at = message, clock.now()
        session.add(status)


async def _work(
    pc: PartnerCenterClient, kind: Kind, customer_id: str | None, progress: _Progress
) -> int:
    now = clock.now()
    if kind == "full":
        return await full_pass(pc, now, progress)
    if kind == "tenant" and customer_id:
        return await reconcile_customer(pc, customer_id)
    return await incremental_pass(pc, now, progress)


async def run_sync(
    kind: Kind = "incremental",
    *,
    customer_id: str | None = None,
    pc: PartnerCenterClient | None = None,
    wait: float = 0.0,
) -> SyncReport:
    """Run one pass under the sync lease; `SyncBusy` if another pass still runs after `wait`
    seconds. An unknown `kind` is refused before the lease is taken."""
    if kind not in get_args(Kind):
        raise InvalidInput({"kind": "Choose incremental, full or tenant."})
    holder = _holder()
    deadline = time.monotonic() + wait
    while not await asyncio.to_thread(_take, holder):
        if time.monotonic() >= deadline:
            raise SyncBusy()
        await asyncio.sleep(LEASE_POLL_SECONDS)
    began = time.monotonic()
    run_id = await asyncio.to_thread(_start, kind, clock.now())
    progress = _Progress(run_id, holder)
    changes, error = 0, None
    client = pc or partner_center(background=True)
    try:
        async with client if pc is None else contextlib.nullcontext(client):
            changes = await _work(client, kind, customer_id, progress)
    except PartnerCenterError as failure:
        error = str(
            translate(failure, action="the sync", unchanged="the portal's copy is as it was")
        )
        if customer_id:
            await asyncio.to_thread(_record_tenant_error, customer_id, error)
        logger.warning("sync %s: %s", kind, error)
    finally:
        await asyncio.to_thread(_finish, run_id, changes, error)
        await asyncio.to_thread(_give_back, holder)
    seconds = round(time.monotonic() - began, 3)
    return SyncReport(run_id, kind, changes, seconds, error, client.stats)


def _give_back(holder: str) -> None:
    with session_scope() as session:
        release_lease(session, SYNC_LEASE, holder)


async def sync_tenant_now(*, actor: Principal, organization_id: int) -> SyncReport:
    """ "Sync now" for one organization's tenant (brokers, or the organization's own people)."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    with session_scope() as session:
        tenant = session.exec(
            select(Tenant).where(Tenant.organization_id == organization_id)
        ).first()
    if tenant is None or tenant.customer_id is None:
        raise NotFound("tenant")
    return await run_sync("tenant", customer_id=tenant.customer_id, wait=BUTTON_WAIT_SECONDS)


async def sync_everything_now(*, actor: Principal, full: bool) -> SyncReport:
    """The sync page's buttons: an incremental pass, or a full reconcile (brokers only)."""
    if not actor.is_broker:
        raise NotAllowed()
    return await run_sync("full" if full else "incremental", wait=BUTTON_WAIT_SECONDS)
