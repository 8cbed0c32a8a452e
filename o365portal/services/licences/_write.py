"""One user's licence change: written to Partner Center, then to the portal's copy at once.

Partner Center's licence update (`POST .../licenseupdates`) takes the Entra SKUs to assign and
to remove in one call. When it is done the portal records the user's licences and moves its
SKU counts by the same seats, so the Users page and the Subscriptions page's use count follow
without waiting for the sync (which reads the same values from Microsoft later).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlmodel import Session, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.m365_users import LicenceAssignment, M365User, SubscribedSku
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import OutOfLicenses, PartnerCenterError, RejectedError
from o365portal.services import changes, clock
from o365portal.services.errors import translate
from o365portal.services.licences._seats import Holder, Tenancy, UsageLocationMissing, load_tenancy
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.sync import _records as sync_records

USAGE_LOCATION_CODE = 60013


@dataclass(frozen=True)
class Change:
    """What one user gets and loses, as Entra SKUs (lower case)."""

    holder: Holder
    assign: tuple[str, ...]
    remove: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nothing to write."""
        return not self.assign and not self.remove


class NoFreeSeat(Exception):
    """Microsoft refused the change: an SKU has no free seat (its 60012)."""


@asynccontextmanager
async def client(pc: PartnerCenterClient | None) -> AsyncIterator[PartnerCenterClient]:
    """The caller's client, else the configured Partner Center's."""
    if pc is not None:
        yield pc
        return
    async with partner_center() as own:
        yield own


async def recount(pc: PartnerCenterClient, tenancy: Tenancy) -> Tenancy:
    """Read the tenant's SKU counts from Partner Center into the portal's copy (as the sync
    does), and the tenancy with them: after Microsoft said no seat is free, the offer counts."""
    try:
        skus = await pc.licenses.subscribed_skus(tenancy.customer_id)
    except PartnerCenterError:
        return tenancy  # the offer then counts with the portal's copy
    with session_scope() as session:
        tenant = session.get(Tenant, tenancy.tenant_id)
        assert tenant is not None
        sync_records.apply_subscribed_skus(session, tenant, skus, clock.now())
        fresh = load_tenancy(session, tenant)
    changes.announce(tenancy.organization_id, changes.USERS, changes.SUBSCRIPTIONS)
    return fresh


async def write(pc: PartnerCenterClient, tenancy: Tenancy, change: Change) -> None:
    """Send the change to Partner Center; NoFreeSeat, UsageLocationMissing or the translated
    refusal when it is not done (then nothing changed)."""
    try:
        await pc.licenses.update(
            tenancy.customer_id,
            change.holder.pc_user_id,
            assign=list(change.assign),
            remove=list(change.remove),
        )
    except OutOfLicenses as error:
        raise NoFreeSeat() from error
    except RejectedError as error:
        if error.code == USAGE_LOCATION_CODE:
            raise UsageLocationMissing(change.holder.name) from error
        raise translate(
            error, action="the licence change", unchanged="no licence was changed"
        ) from error
    except PartnerCenterError as error:
        raise translate(
            error, action="the licence change", unchanged="no licence was changed"
        ) from error


def record(session: Session, actor: Principal, tenancy: Tenancy, changes: list[Change]) -> None:
    """Apply written changes to the portal's copy: licences, SKU counts, and the audit log."""
    now = clock.now()
    counted = {seat.entra_sku: seat.subscription_id for seat in reversed(tenancy.seats)}
    moved: Counter[str] = Counter()
    for change in changes:
        user = session.get(M365User, change.holder.id)
        assert user is not None
        held = {row.provisioning_sku_id.lower(): row for row in _licences(session, user)}
        for sku in change.remove:
            if sku in held:
                session.delete(held.pop(sku))
                moved[sku] -= 1
        for sku in change.assign:
            if sku not in held:
                session.add(
                    LicenceAssignment(
                        m365_user_id=change.holder.id,
                        provisioning_sku_id=sku,
                        subscription_id=counted.get(sku),
                        assigned_at=now,
                    )
                )
                moved[sku] += 1
        session.add(_audit(actor, user, change))
    _count(session, tenancy.tenant_id, moved)


def _licences(session: Session, user: M365User) -> list[LicenceAssignment]:
    return list(
        session.exec(
            select(LicenceAssignment).where(LicenceAssignment.m365_user_id == user.id)
        ).all()
    )


def _count(session: Session, tenant_id: int, moved: Counter[str]) -> None:
    rows = session.exec(select(SubscribedSku).where(SubscribedSku.tenant_id == tenant_id)).all()
    for row in rows:
        step = moved.get(row.sku_id.lower(), 0)
        if step:
            row.consumed_units += step
            row.available_units -= step
            session.add(row)


def _audit(actor: Principal, user: M365User, change: Change) -> AuditLogEntry:
    return AuditLogEntry(
        actor_account_id=actor.account_id,
        action="m365_user.licences",
        entity="m365_user",
        entity_id=str(user.id),
        details={
            "tenant_id": user.tenant_id,
            "user_principal_name": user.user_principal_name,
            "origin": ChangeOrigin.PORTAL.value,
            "added": sorted(change.assign),
            "removed": sorted(change.remove),
        },
    )
