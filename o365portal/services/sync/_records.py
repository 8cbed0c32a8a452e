"""Applying what Partner Center holds to the portal's copy, inside the caller's transaction.

Every function here takes a resource as Partner Center returned it just now (never a webhook's
or an audit record's body: those only say what to read) and returns how many things it changed,
so applying the same resource twice changes nothing the second time. Subscriptions merge three
ways (`domain.sync_merge`): a change made only in Partner Center is applied with a history row
(origin Partner Center, who and when); both sides changed is a drift alert, never an overwrite.
A subscription the portal has never seen is imported with its price from the price lists.
Users, licences and SKU counts are Partner Center's alone: the copy follows, with an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from o365portal.db.enums import ChangeOrigin, SeatLotReason
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.m365_users import LicenceAssignment, M365User, SubscribedSku
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionHistory
from o365portal.db.tables.sync import DriftAlert, PartnerCustomer
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.errors import DomainError
from o365portal.domain.nce import CANCELLATION_WINDOW
from o365portal.domain.sync_merge import Drift, merge
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.partner_center.models.customers import Customer
from o365portal.partner_center.models.subscriptions import ScheduledProduct
from o365portal.partner_center.models.users import CustomerUser, License
from o365portal.partner_center.models.users import SubscribedSku as PcSku
from o365portal.services.pricing._quote import tenant_sales_price
from o365portal.services.pricing._store import CatalogItemRef, charged_entry

PORTAL_ONLY = ("provisioning", "failed")  # the portal's own states while ordering


@dataclass(frozen=True)
class Cause:
    """Why sync applies a change: who changed it in Partner Center, when, and how sync heard."""

    source: str  # audit | webhook | reconcile
    changed_by: str | None = None
    changed_at: datetime | None = None

    def details(self) -> dict[str, Any]:
        """The cause as history/audit details."""
        return {
            "source": self.source,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
        }


def subscription_values(pc: PcSubscription) -> dict[str, Any]:
    """The synced fields of a Partner Center subscription, as the portal stores them."""
    return {
        "quantity": pc.quantity,
        "status": str(pc.status).lower(),
        "friendly_name": pc.friendly_name or pc.offer_name or "",
        "auto_renew": bool(pc.auto_renew_enabled),
    }


def renewal_changes_of(pc: PcSubscription) -> dict[str, Any] | None:
    """Partner Center's scheduled next-term instructions as the portal keeps them in
    `Subscription.renewal_changes` (None: it renews as it is). Sync and every change the portal
    makes store them from Partner Center's answer."""
    scheduled = pc.scheduled_next_term_instructions
    if scheduled is None:
        return None
    product = scheduled.product or ScheduledProduct()
    end = scheduled.custom_term_end_date
    return {
        "product_id": product.product_id,
        "sku_id": product.sku_id,
        "availability_id": product.availability_id,
        "term": product.term_duration.upper() if product.term_duration else None,
        "billing_cycle": str(product.billing_cycle).lower() if product.billing_cycle else None,
        "quantity": scheduled.quantity,
        "custom_term_end_date": end.isoformat() if end else None,
    }


def _portal_values(row: Subscription) -> dict[str, Any]:
    return {
        "quantity": row.quantity,
        "status": row.status,
        "friendly_name": row.friendly_name,
        "auto_renew": row.auto_renew,
    }


def apply_subscription(
    session: Session, tenant: Tenant, pc: PcSubscription, cause: Cause, now: datetime
) -> int:
    """Bring the portal's copy of one subscription in line with Partner Center; changes made."""
    row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc.id)).first()
    if row is None:
        return _import(session, tenant, pc, cause, now)
    if row.status in PORTAL_ONLY:
        return 0
    term_end = pc.commitment_end_date_time or pc.commitment_end_date
    renewed = _renewal(session, row, pc, term_end, now)
    result = merge(row.pc_values, _portal_values(row), subscription_values(pc))
    if term_end is not None and term_end != row.term_end_at:
        row.term_end_at = term_end
    row.renewal_changes = renewal_changes_of(pc)
    row.pc_values = result.base
    row.synced_at = now
    if result.take:
        _take(session, row, result.take, cause, now)
    raised = sum(_raise_drift(session, row, drift, cause, now) for drift in result.drift)
    _clear_drift(session, row, {drift.field for drift in result.drift}, now)
    session.add(row)
    return len(result.take) + raised + renewed


def _renewal(
    session: Session,
    row: Subscription,
    pc: PcSubscription,
    term_end: datetime | None,
    now: datetime,
) -> int:
    """Microsoft renewed the subscription (its term end moved on): the new term is one renewal
    lot with a fresh 7-day window, recorded in the history with the renewed values; 1 if so."""
    if term_end is None or row.term_end_at is None or term_end.date() <= row.term_end_at.date():
        return 0
    assert row.id is not None
    window_end = pc.cancellation_allowed_until_date
    renewed_at = window_end - CANCELLATION_WINDOW if window_end else row.term_end_at
    row.seat_lots = [  # the old lots are orphans now, deleted with the flush
        SeatLot(
            subscription_id=row.id,
            quantity=pc.quantity,
            added_at=renewed_at,
            reason=SeatLotReason.RENEWAL,
            reducible_until=renewed_at + CANCELLATION_WINDOW,
        )
    ]
    session.flush()
    session.add(
        SubscriptionHistory(
            subscription_id=row.id,
            origin=ChangeOrigin.PARTNER_CENTER,
            at=now,
            action="renewal",
            before={"quantity": row.quantity, "term_end": row.term_end_at.date().isoformat()},
            after={
                "quantity": pc.quantity,
                "term_end": term_end.date().isoformat(),
                "renewed_at": renewed_at.isoformat(),
                "renewal_changes": row.renewal_changes,
            },
        )
    )
    return 1


def _take(
    session: Session, row: Subscription, take: dict[str, Any], cause: Cause, now: datetime
) -> None:
    assert row.id is not None
    before = {name: getattr(row, name) for name in take}
    if "quantity" in take:
        _follow_quantity(session, row, int(take["quantity"]), cause.changed_at or now)
    for name, value in take.items():
        setattr(row, name, value)
    session.add(
        SubscriptionHistory(
            subscription_id=row.id,
            origin=ChangeOrigin.PARTNER_CENTER,
            at=now,
            action="sync",
            before=before,
            after={**take, **cause.details()},
        )
    )


def _follow_quantity(session: Session, row: Subscription, quantity: int, at: datetime) -> None:
    """Seats added in Partner Center become a lot of their own; removed ones leave the newest."""
    assert row.id is not None
    lots = list(
        session.exec(
            select(SeatLot)
            .where(SeatLot.subscription_id == row.id)
            .order_by(col(SeatLot.added_at).desc())
        ).all()
    )
    held = sum(lot.quantity for lot in lots)
    if quantity > held:
        session.add(
            SeatLot(
                subscription_id=row.id,
                quantity=quantity - held,
                added_at=at,
                reason=SeatLotReason.ADDITION,
                reducible_until=at + CANCELLATION_WINDOW,
            )
        )
        return
    surplus = held - quantity
    for lot in lots:
        if surplus <= 0:
            break
        taken = min(lot.quantity, surplus)
        surplus -= taken
        if taken == lot.quantity:
            session.delete(lot)
        else:
            lot.quantity -= taken
            session.add(lot)


def _raise_drift(
    session: Session, row: Subscription, drift: Drift, cause: Cause, now: datetime
) -> int:
    """Record a drift alert unless the same one is already open; 1 if one was raised."""
    assert row.id is not None
    open_alerts = session.exec(
        select(DriftAlert)
        .where(DriftAlert.entity == "subscription")
        .where(DriftAlert.entity_id == row.id)
        .where(DriftAlert.field == drift.field)
        .where(DriftAlert.status == "open")
    ).all()
    if any(alert.partner_center_value == drift.partner_center for alert in open_alerts):
        return 0
    for stale in open_alerts:  # Partner Center moved again: the newest value is what counts
        stale.status = "superseded"
        stale.resolved_at = now
        session.add(stale)
    session.add(
        DriftAlert(
            tenant_id=row.tenant_id,
            entity="subscription",
            entity_id=row.id,
            field=drift.field,
            portal_value=drift.portal,
            partner_center_value=drift.partner_center,
            changed_by=cause.changed_by,
            changed_at=cause.changed_at,
            raised_at=now,
        )
    )
    return 1


def _clear_drift(session: Session, row: Subscription, drifting: set[str], now: datetime) -> None:
    """Close the open alerts of fields that no longer drift (one side came round)."""
    for alert in session.exec(
        select(DriftAlert)
        .where(DriftAlert.entity == "subscription")
        .where(DriftAlert.entity_id == row.id)
        .where(DriftAlert.status == "open")
    ).all():
        if alert.field not in drifting:
            alert.status, alert.resolved_at = "cleared", now
            session.add(alert)


def catalog_ref(pc: PcSubscription) -> CatalogItemRef | None:
    """The catalog item a Partner Center subscription is of (None for a legacy offer)."""
    parts = (pc.offer_id or "").split(":")
    if len(parts) != 3 or not all(parts) or not pc.term_duration or pc.billing_cycle is None:
        return None
    try:
        term, cycle = Term.parse(pc.term_duration), BillingCycle.parse(str(pc.billing_cycle))
    except DomainError:
        return None
    return CatalogItemRef(parts[0], parts[1], parts[2], term.value, cycle.value)


def _waiting_order(session: Session, tenant: Tenant, pc: PcSubscription) -> bool:
    """Whether the portal is still provisioning this subscription's order itself."""
    waiting = session.exec(
        select(Subscription)
        .where(Subscription.tenant_id == tenant.id)
        .where(Subscription.status == "provisioning")
    ).all()
    return any(row.order_id is None or row.order_id == pc.order_id for row in waiting)


def _import(
    session: Session, tenant: Tenant, pc: PcSubscription, cause: Cause, now: datetime
) -> int:
    ref = catalog_ref(pc)
    if ref is None or tenant.id is None or _waiting_order(session, tenant, pc):
        return 0
    started = pc.effective_start_date or pc.creation_date or now
    values = subscription_values(pc)
    row = Subscription(
        **vars(ref),
        tenant_id=tenant.id,
        pc_subscription_id=pc.id,
        friendly_name=values["friendly_name"],
        quantity=values["quantity"],
        status=values["status"],
        auto_renew=values["auto_renew"],
        started_at=started,
        term_end_at=pc.commitment_end_date_time or pc.commitment_end_date,
        order_id=pc.order_id,
        pc_values=values,
        renewal_changes=renewal_changes_of(pc),
        synced_at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(
        SeatLot(
            subscription_id=row.id,
            quantity=row.quantity,
            added_at=started,
            reason=SeatLotReason.PURCHASE,
            reducible_until=started + CANCELLATION_WINDOW,
        )
    )
    price = tenant_sales_price(session, tenant.id, ref, started.date())
    entry = charged_entry(session, tenant.id, ref, started.date(), price) if price else None
    session.add(
        SubscriptionHistory(
            subscription_id=row.id,
            origin=ChangeOrigin.PARTNER_CENTER,
            at=now,
            action="import",
            after={
                **values,
                "order_id": pc.order_id,
                "note": "Bought outside the portal; imported from Partner Center.",
                **cause.details(),
            },
            unit_price=price.amount if price else None,
            currency=price.currency if price else None,
            price_list_entry_id=entry,
        )
    )
    return 1


def apply_customer(session: Session, customer: Customer, now: datetime) -> int:
    """Remember one of the broker's Partner Center customers; 1 if it was new or changed."""
    profile = customer.company_profile
    values = {
        "company_name": (profile.company_name if profile else None)
        or (customer.billing_profile.company_name if customer.billing_profile else None)
        or "",
        "domain": (profile.domain if profile else None) or "",
        "relationship": str(customer.relationship_to_partner or "reseller").lower(),
    }
    assert customer.id is not None
    row = session.exec(
        select(PartnerCustomer).where(PartnerCustomer.customer_id == customer.id)
    ).first()
    if row is None:
        session.add(
            PartnerCustomer(
                customer_id=customer.id,
                company_name=values["company_name"],
                domain=values["domain"],
                relationship=values["relationship"],
                seen_at=now,
            )
        )
        return 1
    changed = any(getattr(row, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(row, name, value)
    row.seen_at = now
    session.add(row)
    return int(changed)


def remember_customers(session: Session, customers: list[Customer], now: datetime) -> int:
    """Remember the broker's whole customer list; forget those Partner Center no longer lists."""
    changes = sum(apply_customer(session, customer, now) for customer in customers)
    listed = [customer.id for customer in customers if customer.id]
    gone = session.exec(
        delete(PartnerCustomer).where(col(PartnerCustomer.customer_id).not_in(listed))
    ).rowcount
    return changes + int(gone or 0)


def forget_customer(session: Session, customer_id: str) -> int:
    """Partner Center no longer has the customer: drop it from the broker's customers."""
    row = session.exec(
        select(PartnerCustomer).where(PartnerCustomer.customer_id == customer_id)
    ).first()
    if row is None:
        return 0
    session.delete(row)
    return 1


def _user_values(user: CustomerUser) -> dict[str, Any]:
    return {
        "user_principal_name": user.user_principal_name or "",
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name or user.user_principal_name or "",
        "usage_location": user.usage_location,
        "state": str(user.state or "active").lower(),
        "soft_deleted_at": user.soft_deletion_time,
    }


def _audit(
    session: Session, action: str, user: M365User, details: dict[str, Any], cause: Cause
) -> None:
    session.add(
        AuditLogEntry(
            action=f"m365_user.{action}",
            entity="m365_user",
            entity_id=str(user.id),
            details={
                "tenant_id": user.tenant_id,
                "user_principal_name": user.user_principal_name,
                "origin": ChangeOrigin.PARTNER_CENTER.value,
                **details,
                **cause.details(),
            },
        )
    )


def _fresh(query: SelectOfScalar[M365User]) -> SelectOfScalar[M365User]:
    """The query reloading rows (and their licences) this session already holds, so licence
    rows it added since are seen."""
    return query.execution_options(populate_existing=True)


@dataclass
class UserCopies:
    """The portal's copy of a tenant's users, read in one go for a pass over many of them:
    the rows by Partner Center id (each with its licences, which the row loads with it), and
    the subscription each Entra SKU's licences are counted against, looked up once per SKU."""

    rows: dict[str, M365User]
    counted: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def of_tenant(cls, session: Session, tenant: Tenant) -> UserCopies:
        """Every user row of the tenant (read after its subscriptions are applied)."""
        rows = session.exec(_fresh(select(M365User).where(M365User.tenant_id == tenant.id))).all()
        return cls({row.pc_user_id: row for row in rows})

    @classmethod
    def of_user(cls, session: Session, tenant: Tenant, pc_user_id: str) -> UserCopies:
        """The tenant's row of one user, if it has one."""
        row = session.exec(
            _fresh(
                select(M365User)
                .where(M365User.tenant_id == tenant.id)
                .where(M365User.pc_user_id == pc_user_id)
            )
        ).first()
        return cls({} if row is None else {pc_user_id: row})

    def counted_against(self, session: Session, tenant_id: int, sku_id: str) -> int | None:
        """The tenant's active subscription whose catalog item is that Entra SKU, if one is."""
        if sku_id not in self.counted:
            self.counted[sku_id] = _counted_against(session, tenant_id, sku_id)
        return self.counted[sku_id]


def apply_user(
    session: Session,
    tenant: Tenant,
    user: CustomerUser,
    licences: list[License] | None,
    cause: Cause,
    now: datetime,
    copies: UserCopies | None = None,
) -> int:
    """Bring one user (and, when read, its licences) in line with Partner Center; `copies`
    is the tenant's copy when many users are applied (read once), else the user's row is read."""
    assert tenant.id is not None and user.id is not None
    values = _user_values(user)
    if copies is None:
        copies = UserCopies.of_user(session, tenant, user.id)
    row = copies.rows.get(user.id)
    created = row is None
    changes = 0
    if row is None:
        row = M365User(tenant_id=tenant.id, pc_user_id=user.id, synced_at=now, **values)
        session.add(row)
        session.flush()
        _audit(session, "created", row, {"after": _jsonable(values)}, cause)
        changes += 1
    else:
        before = {k: getattr(row, k) for k, v in values.items() if getattr(row, k) != v}
        if before:
            after = {k: values[k] for k in before}
            action = _user_action(after)
            for name, value in after.items():
                setattr(row, name, value)
            _audit(
                session,
                action,
                row,
                {"before": _jsonable(before), "after": _jsonable(after)},
                cause,
            )
            changes += 1
        row.synced_at = now
        session.add(row)
    if licences is not None:
        held = {lic.product_sku.id for lic in licences}
        have = [] if created else row.licence_assignments
        changes += _apply_licences(session, row, have, held, cause, now, copies)
    return changes


def _user_action(after: dict[str, Any]) -> str:
    if "state" in after:
        return "deleted" if after["state"] == "inactive" else "restored"
    return "updated"


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _apply_licences(
    session: Session,
    user: M365User,
    rows: list[LicenceAssignment],
    held: set[str],
    cause: Cause,
    now: datetime,
    copies: UserCopies,
) -> int:
    """Make the user's licence rows (`rows`) the SKUs Partner Center says it holds."""
    assert user.id is not None
    have = {row.provisioning_sku_id: row for row in rows}
    added, removed = sorted(held - set(have)), sorted(set(have) - held)
    for sku_id in added:
        session.add(
            LicenceAssignment(
                m365_user_id=user.id,
                provisioning_sku_id=sku_id,
                subscription_id=copies.counted_against(session, user.tenant_id, sku_id),
                assigned_at=cause.changed_at or now,
            )
        )
    for sku_id in removed:
        session.delete(have[sku_id])
    if added or removed:
        _audit(session, "licences", user, {"added": added, "removed": removed}, cause)
    return len(added) + len(removed)


def _counted_against(session: Session, tenant_id: int, sku_id: str) -> int | None:
    """The tenant's active subscription whose catalog item is that Entra SKU, if one is."""
    return session.exec(
        select(Subscription.id)
        .join(
            CatalogItem,
            (col(CatalogItem.product_id) == col(Subscription.product_id))
            & (col(CatalogItem.sku_id) == col(Subscription.sku_id)),
        )
        .where(Subscription.tenant_id == tenant_id)
        .where(Subscription.status == "active")
        .where(CatalogItem.provisioning_sku_id == sku_id)
        .limit(1)
    ).first()


def forget_user(session: Session, tenant: Tenant, pc_user_id: str, cause: Cause) -> int:
    """A user Partner Center no longer has at all (purged): remove the copy."""
    row = session.exec(
        select(M365User)
        .where(M365User.tenant_id == tenant.id)
        .where(M365User.pc_user_id == pc_user_id)
    ).first()
    if row is None:
        return 0
    _audit(session, "purged", row, {}, cause)
    session.delete(row)
    return 1


def apply_subscribed_skus(
    session: Session, tenant: Tenant, skus: list[PcSku], now: datetime
) -> int:
    """Replace the tenant's SKU counts with Partner Center's; how many rows changed."""
    assert tenant.id is not None
    have = {
        row.sku_id: row
        for row in session.exec(
            select(SubscribedSku).where(SubscribedSku.tenant_id == tenant.id)
        ).all()
    }
    changes = 0
    for sku in skus:
        values = {
            "sku_part_number": sku.product_sku.sku_part_number,
            "name": sku.product_sku.name,
            "active_units": sku.active_units or 0,
            "consumed_units": sku.consumed_units or 0,
            "available_units": sku.available_units or 0,
            "suspended_units": sku.suspended_units or 0,
            "warning_units": sku.warning_units or 0,
        }
        row = have.pop(sku.product_sku.id, None)
        if row is None:
            row = SubscribedSku(tenant_id=tenant.id, sku_id=sku.product_sku.id, synced_at=now)
        changes += int(any(getattr(row, k) != v for k, v in values.items()) or row.id is None)
        for name, value in values.items():
            setattr(row, name, value)
        row.synced_at = now
        session.add(row)
    for gone in have.values():
        session.delete(gone)
        changes += 1
    return changes
