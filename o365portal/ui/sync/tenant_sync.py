"""A tenant's sync status on its service screen: last incremental and full sync, the last
error, and "Sync now" (brokers and the organization's own people)."""

from __future__ import annotations

import asyncio

import reflex as rx

from o365portal.services import sync
from o365portal.services.principal import Principal
from o365portal.ui import routes, styles
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState


class TenantSyncState(SessionState):
    """The sync status of the organization's tenant."""

    status: sync.TenantSyncView | None = None
    syncing: bool = False

    @data_event(quiet=True)
    def load(self, principal: Principal) -> None:
        """on_load: the status (nothing shows for an organization without a tenant)."""
        organization_id = int(routes.organization_id(self))
        self.status = sync.tenant_sync_status(actor=principal, organization_id=organization_id)

    @data_event(background=True)
    async def sync_now(self, principal: Principal) -> rx.event.EventSpec:
        """Reconcile this tenant with Partner Center now."""
        async with self:
            organization_id = int(routes.organization_id(self))
            self.syncing = True
        try:
            report = await sync.sync_tenant_now(actor=principal, organization_id=organization_id)
        finally:
            status = await asyncio.to_thread(
                sync.tenant_sync_status, actor=principal, organization_id=organization_id
            )
            async with self:
                self.status, self.syncing = status, False
        if report.error:
            return rx.toast.error(report.error, duration=10000)
        noun = "change" if report.changes == 1 else "changes"
        return rx.toast.success(f"Synced with Partner Center: {report.changes:,} {noun}.")


def _line(label: str, value: rx.Var[str]) -> rx.Component:
    return rx.text(label, ": ", rx.cond(value != "", value, "never"), size="2", color=styles.MUTED)


def tenant_sync_card() -> rx.Component:
    """Last syncs, last error, and the "Sync now" button."""
    status = TenantSyncState.status
    return rx.cond(
        status,
        rx.vstack(
            rx.separator(size="4"),
            rx.heading("Sync with Partner Center", size="3"),
            _line("Last change sync", status.last_incremental_at),  # type: ignore[union-attr]
            _line("Last full sync", status.last_full_at),  # type: ignore[union-attr]
            rx.cond(
                status.last_error != "",  # type: ignore[union-attr]
                rx.callout(
                    status.last_error,  # type: ignore[union-attr]
                    icon="triangle-alert",
                    color_scheme="red",
                    size="1",
                ),
            ),
            rx.button(
                rx.icon("refresh-cw", size=16),
                "Sync now",
                variant="soft",
                on_click=TenantSyncState.sync_now,
                loading=TenantSyncState.syncing,
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
    )
