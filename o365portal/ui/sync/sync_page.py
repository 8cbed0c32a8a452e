"""My Services -> Partner Center sync (brokers): the latest passes with a running full import's
progress, buttons to sync now, and the drift alerts to resolve.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import reflex as rx

from o365portal.services import changes, sync
from o365portal.services.principal import Principal
from o365portal.ui import live, routes, styles
from o365portal.ui.components.layout import page_shell
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState

WATCH_SECONDS = 1.0  # how often a page with a running pass reads its progress
_STATUS_COLORS = {"running": "blue", "done": "green", "failed": "red", "interrupted": "orange"}


class SyncPageState(SessionState):
    """The passes and open drift alerts this broker sees."""

    runs: list[sync.SyncRunView] = []
    alerts: list[sync.DriftAlertView] = []
    running: bool = False  # a pass is running (here, in another worker, or from the shell)
    watching: bool = False
    deciding: int = 0  # the alert whose resolution is being written

    def _show(self, runs: list[sync.SyncRunView], alerts: list[sync.DriftAlertView]) -> None:
        self.runs, self.alerts = runs, alerts
        self.running = any(run.status == "running" for run in runs)

    @data_event
    def load(self, principal: Principal) -> rx.event.EventSpec | None:
        """on_load: the passes and open alerts; watch a running pass's progress."""
        self._show(sync.sync_runs(actor=principal), sync.drift_alerts(actor=principal))
        return SyncPageState.watch if self.running else None

    @data_event(quiet=True)
    def refresh(self, principal: Principal) -> None:
        """The live feed says alerts or subscriptions moved: read the lists again."""
        self._show(sync.sync_runs(actor=principal), sync.drift_alerts(actor=principal))

    @data_event(background=True, quiet=True)
    async def watch(self, principal: Principal) -> None:
        """Read the progress every second while a pass runs (one loop per tab at most)."""
        async with self:
            if self.watching:
                return
            self.watching = True
        try:
            while True:
                await asyncio.sleep(WATCH_SECONDS)
                runs = await asyncio.to_thread(sync.sync_runs, actor=principal)
                alerts = await asyncio.to_thread(sync.drift_alerts, actor=principal)
                async with self:
                    self._show(runs, alerts)
                    if not self.running:
                        return
        finally:
            async with self:
                self.watching = False

    @data_event(background=True)
    async def start(self, principal: Principal, kind: str) -> rx.event.EventSpec:
        """Run a pass now ("changes" or "full") and say what it did (`watch`, started with
        it, shows the progress meanwhile)."""
        async with self:
            self.running = True
        try:
            report = await sync.sync_everything_now(actor=principal, full=kind == "full")
        finally:
            runs = await asyncio.to_thread(sync.sync_runs, actor=principal)
            alerts = await asyncio.to_thread(sync.drift_alerts, actor=principal)
            async with self:
                self._show(runs, alerts)
        if report.error:
            return rx.toast.error(report.error, duration=10000)
        noun = "change" if report.changes == 1 else "changes"
        return rx.toast.success(f"Sync finished: {report.changes:,} {noun} from Partner Center.")

    @data_event(background=True)
    async def resolve(
        self, principal: Principal, alert_id: int, resolution: str
    ) -> rx.event.EventSpec:
        """Accept Partner Center's value, re-apply the portal's, or dismiss one alert."""
        chosen: Literal["accept", "reapply", "dismiss"] = (
            "accept"
            if resolution == "accept"
            else "reapply"
            if resolution == "reapply"
            else "dismiss"
        )
        async with self:
            self.deciding = alert_id
        try:
            await sync.resolve_drift(actor=principal, alert_id=alert_id, resolution=chosen)
        finally:
            alerts = await asyncio.to_thread(sync.drift_alerts, actor=principal)
            async with self:
                self.alerts, self.deciding = alerts, 0
        return rx.toast.success(_DONE[chosen])


_DONE = {
    "accept": "Partner Center's value is now the portal's.",
    "reapply": "The portal's value was written to Partner Center.",
    "dismiss": "Dismissed: the portal keeps its value.",
}


def _run(run: rx.Var[sync.SyncRunView]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(run.kind, weight="medium"),
                rx.spacer(),
                rx.badge(run.status, color_scheme=rx.Var.create(_STATUS_COLORS)[run.status]),
                gap="0.5rem",
                width="100%",
            ),
            rx.text("Started ", run.started_at, size="2", color=styles.MUTED),
            rx.cond(
                run.status == "running",
                rx.vstack(
                    rx.progress(value=run.percent, width="100%"),
                    rx.text(run.progress, size="2"),
                    width="100%",
                ),
                rx.text(
                    run.changes.to(str) + " changes",
                    rx.cond(run.finished_at != "", " · finished " + run.finished_at, ""),
                    size="2",
                ),
            ),
            rx.cond(run.error != "", rx.text(run.error, size="2", color="var(--red-11)")),
            spacing="2",
            width="100%",
        ),
        role="article",
        aria_label="Sync run " + run.id.to(str),
        width="100%",
    )


def _alert(alert: rx.Var[sync.DriftAlertView]) -> rx.Component:
    deciding = SyncPageState.deciding == alert.id
    return rx.card(
        rx.vstack(
            rx.text(alert.organization_name, " · ", alert.subscription_name, weight="medium"),
            rx.text(
                alert.field,
                ": the portal has ",
                rx.el.strong(alert.portal_value),
                ", Partner Center has ",
                rx.el.strong(alert.partner_center_value),
            ),
            rx.text(
                "Changed in Partner Center by ",
                alert.changed_by,
                rx.cond(alert.changed_at != "", " on " + alert.changed_at, ""),
                size="2",
                color=styles.MUTED,
            ),
            rx.flex(
                rx.button(
                    "Accept Partner Center's",
                    on_click=SyncPageState.resolve(alert.id, "accept"),
                    loading=deciding,
                ),
                rx.button(
                    "Re-apply the portal's",
                    variant="soft",
                    on_click=SyncPageState.resolve(alert.id, "reapply"),
                    loading=deciding,
                ),
                rx.button(
                    "Dismiss",
                    variant="ghost",
                    on_click=SyncPageState.resolve(alert.id, "dismiss"),
                    loading=deciding,
                ),
                gap="0.5rem",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        role="article",
        aria_label="Drift alert " + alert.id.to(str),
        width="100%",
    )


@routes.page(routes.SYNC, SyncPageState.load)
def sync_page() -> rx.Component:
    """The broker's sync page."""
    return page_shell(
        "Partner Center sync",
        rx.text(
            "Changes made in Microsoft Partner Center reach the portal on their own: from the "
            "activity log every minute, at once by webhook, and by a full reconcile daily.",
            color=styles.MUTED,
        ),
        rx.flex(
            rx.button(
                rx.icon("refresh-cw", size=16),
                "Sync changes now",
                on_click=[SyncPageState.start("changes"), SyncPageState.watch],
                disabled=SyncPageState.running,
            ),
            rx.button(
                rx.icon("database", size=16),
                "Full reconcile",
                variant="soft",
                on_click=[SyncPageState.start("full"), SyncPageState.watch],
                disabled=SyncPageState.running,
            ),
            gap="0.5rem",
            wrap="wrap",
            margin_y="1rem",
        ),
        live.watch(SyncPageState.refresh, changes.BADGES, changes.SUBSCRIPTIONS),
        rx.heading("Drift alerts", size="4"),
        rx.cond(
            SyncPageState.alerts.length() > 0,
            rx.vstack(rx.foreach(SyncPageState.alerts, _alert), spacing="3", width="100%"),
            rx.text("No drift: the portal and Partner Center agree.", color=styles.MUTED),
        ),
        rx.heading("Latest passes", size="4", margin_top="1.5rem"),
        rx.cond(
            SyncPageState.runs.length() > 0,
            rx.vstack(rx.foreach(SyncPageState.runs, _run), spacing="3", width="100%"),
            rx.text("No sync has run yet.", color=styles.MUTED),
        ),
    )
