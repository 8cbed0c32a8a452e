"""Two-way sync with Partner Center: the audit-log pass, webhooks, the full reconcile, drift
alerts and sync status (docs/sync.md)."""

from __future__ import annotations

from o365portal.services.sync._drift import (
    DriftAlertView,
    DriftResolved,
    drift_alerts,
    open_drift_count,
    resolve_drift,
)
from o365portal.services.sync._refresh import remember_customers
from o365portal.services.sync._runs import (
    SyncBusy,
    SyncReport,
    run_sync,
    sync_everything_now,
    sync_tenant_now,
)
from o365portal.services.sync._status import (
    SyncRunView,
    TenantSyncView,
    changes_since,
    full_sync_due,
    sync_runs,
    tenant_sync_status,
)
from o365portal.services.sync._webhooks import (
    EVENTS_PATH,
    WebhookRefused,
    handle_event,
    register_webhook,
    subscribe_to_events,
)

__all__ = [
    "EVENTS_PATH",
    "DriftAlertView",
    "DriftResolved",
    "SyncBusy",
    "SyncReport",
    "SyncRunView",
    "TenantSyncView",
    "WebhookRefused",
    "changes_since",
    "drift_alerts",
    "full_sync_due",
    "handle_event",
    "open_drift_count",
    "register_webhook",
    "remember_customers",
    "resolve_drift",
    "run_sync",
    "subscribe_to_events",
    "sync_everything_now",
    "sync_runs",
    "sync_tenant_now",
    "tenant_sync_status",
]
