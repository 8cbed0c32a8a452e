"""Drift alerts: Partner Center holds another value than the portal expected. Brokers list them
and resolve each one: accept Partner Center's value, re-apply the portal's (written to Partner
Center), or dismiss (the portal keeps its value, the difference is acknowledged). Every
resolution is audited and, when it changes the subscription, recorded in its history.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, col, func, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.sync import DriftAlert
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import PartnerCenterError
from o365portal.services import changes, clock
from o365portal.services.errors import NotAllowed, NotFound, ServiceError, translate
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal

Resolution = Literal["accept", "reapply", "dismiss"]
_LABELS = {
    "quantity": "Seats",
    "status": "Status",
    "friendly_name": "Name",
    "auto_renew": "Auto-renew",
}
_DONE = {"accept": "accepted", "reapply": "reapplied", "dismiss": "dismissed"}


class DriftResolved(ServiceError):
    """The alert was resolved already (by someone else, or Partner Center moved on)."""

    def __init__(self) -> None:
        super().__init__("This alert has been resolved already; the list now shows what is open.")


@dataclass(frozen=True)
class DriftAlertView:
    """One drift alert as the broker's list shows it."""

    id: int
    organization_id: int
    organization_name: str
    subscription_name: str
    field: str
    portal_value: str
    partner_center_value: str
    changed_by: str
    changed_at: str
    raised_at: str
    status: str


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return "" if value is None else str(value)


def _view(alert: DriftAlert, row: Subscription, organization: Organization) -> DriftAlertView:
    assert alert.id is not None and organization.id is not None
    return DriftAlertView(
        id=alert.id,
        organization_id=organization.id,
        organization_name=organization.company_name,
        subscription_name=row.friendly_name,
        field=_LABELS.get(alert.field, alert.field),
        portal_value=_text(alert.portal_value),
        partner_center_value=_text(alert.partner_center_value),
        changed_by=alert.changed_by or "someone in Partner Center",
        changed_at=f"{alert.changed_at:%Y-%m-%d %H:%M} UTC" if alert.changed_at else "",
        raised_at=f"{alert.raised_at:%Y-%m-%d %H:%M} UTC",
        status=alert.status,
    )


def _require_broker(actor: Principal) -> None:
    if not actor.is_broker:
        raise NotAllowed()


def drift_alerts(*, actor: Principal, status: str = "open") -> list[DriftAlertView]:
    """The drift alerts with `status` (open by default), newest first (brokers only)."""
    _require_broker(actor)
    with session_scope() as session:
        rows = session.exec(
            select(DriftAlert, Subscription, Organization)
            .join(Subscription, col(Subscription.id) == col(DriftAlert.entity_id))
            .join(Tenant, col(Tenant.id) == col(DriftAlert.tenant_id))
            .join(Organization, col(Organization.id) == col(Tenant.organization_id))
            .where(DriftAlert.entity == "subscription")
            .where(DriftAlert.status == status)
            .order_by(col(DriftAlert.raised_at).desc(), col(DriftAlert.id).desc())
        ).all()
        return [_view(alert, row, org) for alert, row, org in rows]


async def open_drift_count(*, actor: Principal) -> int:
    """How many drift alerts wait for a broker (0 for customers: they never see alerts)."""
    if not actor.is_broker:
        return 0
    return await asyncio.to_thread(_open_count)


def _open_count() -> int:
    with session_scope() as session:
        return int(
            session.exec(
                select(func.count()).select_from(DriftAlert).where(DriftAlert.status == "open")
            ).one()
        )


def _open_alert(session: Session, alert_id: int) -> tuple[DriftAlert, Subscription]:
    alert = session.get(DriftAlert, alert_id)
    if alert is None:
        raise NotFound("drift alert")
    if alert.status != "open":
        raise DriftResolved()
    row = session.get(Subscription, alert.entity_id)
    if row is None:
        raise NotFound("subscription")
    return alert, row


async def _write_to_partner_center(
    pc: PartnerCenterClient, customer_id: str, pc_id: str, field: str, value: Any
) -> None:
    if field == "quantity":
        await pc.subscriptions.set_quantity(customer_id, pc_id, int(value))
    elif field == "friendly_name":
        await pc.subscriptions.rename(customer_id, pc_id, str(value))
    elif field == "auto_renew":
        await pc.subscriptions.set_auto_renew(customer_id, pc_id, bool(value))
    elif value == "suspended":
        await pc.subscriptions.suspend(customer_id, pc_id)
    else:
        await pc.subscriptions.activate(customer_id, pc_id)


async def resolve_drift(
    *, actor: Principal, alert_id: int, resolution: Resolution
) -> DriftAlertView:
    """Resolve one open alert; re-applying writes the portal's value to Partner Center first."""
    _require_broker(actor)
    with session_scope() as session:
        alert, row = _open_alert(session, alert_id)
        tenant = session.get(Tenant, row.tenant_id)
        assert tenant is not None
        customer_id, pc_id = tenant.customer_id, row.pc_subscription_id
        field, portal_value = alert.field, alert.portal_value
    if resolution == "reapply":
        assert customer_id is not None and pc_id is not None
        try:
            async with partner_center() as pc:
                await _write_to_partner_center(pc, customer_id, pc_id, field, portal_value)
        except PartnerCenterError as error:
            raise translate(error, action="the change", unchanged="the alert stays open") from error
    with session_scope() as session:
        alert, row = _open_alert(session, alert_id)
        _settle(session, actor, alert, row, resolution)
        organization = session.exec(
            select(Organization)
            .join(Tenant, col(Tenant.organization_id) == col(Organization.id))
            .where(Tenant.id == row.tenant_id)
        ).one()
        view = _view(alert, row, organization)
    changes.announce(view.organization_id, changes.SUBSCRIPTIONS, changes.BADGES)
    return view


def _settle(
    session: Session,
    actor: Principal,
    alert: DriftAlert,
    row: Subscription,
    resolution: Resolution,
) -> None:
    now = clock.now()
    assert row.id is not None and alert.id is not None
    base = dict(row.pc_values or {})
    if resolution == "accept":
        before = getattr(row, alert.field)
        setattr(row, alert.field, alert.partner_center_value)
        base[alert.field] = alert.partner_center_value
        _history(session, actor, row, alert, {alert.field: before}, now)
    elif resolution == "reapply":
        base[alert.field] = alert.portal_value
        _history(session, actor, row, alert, {alert.field: alert.partner_center_value}, now)
    else:
        base[alert.field] = alert.partner_center_value
    row.pc_values = base
    alert.status = _DONE[resolution]
    alert.resolved_by_account_id = actor.account_id
    alert.resolved_at = now
    session.add_all([row, alert])
    session.add(
        AuditLogEntry(
            actor_account_id=actor.account_id,
            action=f"drift_alert.{resolution}",
            entity="drift_alert",
            entity_id=str(alert.id),
            details={
                "subscription_id": row.id,
                "field": alert.field,
                "portal_value": alert.portal_value,
                "partner_center_value": alert.partner_center_value,
            },
            at=now,
        )
    )


def _history(
    session: Session,
    actor: Principal,
    row: Subscription,
    alert: DriftAlert,
    before: dict[str, Any],
    now: datetime,
) -> None:
    assert row.id is not None
    session.add(
        SubscriptionHistory(
            subscription_id=row.id,
            actor_account_id=actor.account_id,
            origin=ChangeOrigin.PORTAL,
            at=now,
            action="drift",
            before=before,
            after={alert.field: getattr(row, alert.field), "alert_id": alert.id},
        )
    )
