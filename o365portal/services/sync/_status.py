"""What the sync page and a tenant's page show: the last passes, a running full import's
progress, and one tenant's last incremental and full sync and last error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.sync import DriftAlert, SyncRun, TenantSync
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock
from o365portal.services.errors import NotAllowed, NotFound
from o365portal.services.paging import bounded
from o365portal.services.principal import Principal

_KINDS = {"incremental": "Changes", "full": "Full reconcile", "tenant": "One tenant"}


@dataclass(frozen=True)
class SyncRunView:
    """One pass as the sync page lists it."""

    id: int
    kind: str
    status: str
    started_at: str
    finished_at: str
    progress: str  # "120 of 1,000 customers" while a full pass runs
    percent: int
    changes: int
    error: str


@dataclass(frozen=True)
class TenantSyncView:
    """One tenant's sync status."""

    last_incremental_at: str
    last_full_at: str
    last_error: str
    last_error_at: str


def _when(instant: datetime | None) -> str:
    return f"{instant:%Y-%m-%d %H:%M:%S} UTC" if instant else ""


def _run_view(run: SyncRun) -> SyncRunView:
    assert run.id is not None
    unit = "customers" if run.kind == "full" else "changes"
    progress = f"{run.done:,} of {run.total:,} {unit}" if run.total else ""
    return SyncRunView(
        id=run.id,
        kind=_KINDS.get(run.kind, run.kind),
        status=run.status,
        started_at=_when(run.started_at),
        finished_at=_when(run.finished_at),
        progress=progress,
        percent=round(100 * run.done / run.total) if run.total else 0,
        changes=run.changes,
        error=run.error or "",
    )


def sync_runs(*, actor: Principal, limit: int = 20) -> list[SyncRunView]:
    """The latest passes, newest first (brokers only)."""
    if not actor.is_broker:
        raise NotAllowed()
    with session_scope() as session:
        runs = session.exec(
            select(SyncRun)
            .order_by(col(SyncRun.started_at).desc(), col(SyncRun.id).desc())
            .limit(bounded(1, limit)[1])
        ).all()
        return [_run_view(run) for run in runs]


def full_sync_due(every: timedelta) -> bool:
    """Whether the last finished full reconcile is older than `every` (or none finished)."""
    with session_scope() as session:
        last = session.exec(
            select(SyncRun.started_at)
            .where(SyncRun.kind == "full")
            .where(SyncRun.status == "done")
            .order_by(col(SyncRun.started_at).desc())
            .limit(1)
        ).first()
    return last is None or clock.now() - last >= every


def tenant_sync_status(*, actor: Principal, organization_id: int) -> TenantSyncView:
    """The organization's tenant's sync status (its people and brokers)."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    with session_scope() as session:
        status = session.exec(
            select(TenantSync)
            .join(Tenant, col(Tenant.id) == col(TenantSync.tenant_id))
            .where(Tenant.organization_id == organization_id)
        ).first()
        if status is None:
            return TenantSyncView("", "", "", "")
        return TenantSyncView(
            last_incremental_at=_when(status.last_incremental_at),
            last_full_at=_when(status.last_full_at),
            last_error=status.last_error or "",
            last_error_at=_when(status.last_error_at),
        )


def changes_since(started: datetime) -> list[str]:
    """One line per change sync applied since `started`, oldest first (for the shell)."""
    with session_scope() as session:
        history = session.exec(
            select(SubscriptionHistory, Subscription.friendly_name)
            .join(Subscription, col(Subscription.id) == col(SubscriptionHistory.subscription_id))
            .where(SubscriptionHistory.origin == ChangeOrigin.PARTNER_CENTER)
            .where(SubscriptionHistory.at >= started)
            .order_by(col(SubscriptionHistory.id))
        ).all()
        users = session.exec(
            select(AuditLogEntry)
            .where(AuditLogEntry.entity == "m365_user")
            .where(AuditLogEntry.at >= started)
            .order_by(col(AuditLogEntry.id))
        ).all()
        alerts = session.exec(
            select(DriftAlert).where(DriftAlert.raised_at >= started).order_by(col(DriftAlert.id))
        ).all()
        return [
            *(_history_line(row, name) for row, name in history),
            *(_user_line(entry) for entry in users),
            *(
                f"drift: subscription {a.entity_id} {a.field}: portal {a.portal_value}, "
                f"Partner Center {a.partner_center_value}"
                for a in alerts
            ),
        ]


def _history_line(row: SubscriptionHistory, name: str) -> str:
    after = {k: v for k, v in (row.after or {}).items() if k in _SUBSCRIPTION_FIELDS}
    if row.action == "import":
        return (
            f"imported subscription '{name}': {after.get('quantity')} seats, {after.get('status')}"
        )
    before = row.before or {}
    moves = ", ".join(f"{k} {before.get(k)} -> {v}" for k, v in after.items())
    return f"subscription '{name}': {moves}"


def _user_line(entry: AuditLogEntry) -> str:
    what = entry.action.removeprefix("m365_user.")
    upn = entry.details.get("user_principal_name", "")
    extra = ""
    if what == "licences":
        extra = (
            f" (+{len(entry.details.get('added', []))} -{len(entry.details.get('removed', []))})"
        )
    return f"user {upn}: {what}{extra}"


_SUBSCRIPTION_FIELDS = ("quantity", "status", "friendly_name", "auto_renew")
