"""The incremental pass: Partner Center's audit log since the last cursor, per resource type.

For each resource type (customers, orders, subscriptions, users, licences) the records since its
cursor are read in windows of at most 30 days, never further back than Partner Center keeps them
(90 days), oldest first. Each record names what to refresh; the refresh and the cursor move are
one transaction, so a pass killed at any point resumes after the last committed record, and a
record applied again changes nothing (the values are read anew, and applying equal values is a
no-op). A resource refreshed once in a pass is not read again for later records of that pass:
the read already saw their changes. Records that arrive late, behind a cursor, are caught by the
full reconcile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.sync import SyncCursor
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.models import AuditRecord
from o365portal.services.sync._records import Cause
from o365portal.services.sync._refresh import (
    CUSTOMER,
    SKUS,
    SUBSCRIPTION,
    SUBSCRIPTIONS,
    USER,
    Target,
    is_linked,
    refresh,
)

RESOURCES = ("customer", "order", "subscription", "customer_user", "license")
KEPT = timedelta(days=89)  # Partner Center keeps 90 days; a day's margin for the clock
WINDOW = timedelta(days=29)  # at most 30 days per query, both ends included
FIRST_LOOK_BACK = timedelta(days=1)  # where a resource without a cursor starts

Progress = Callable[[int, int, int], None]  # done, total, changes


def targets_of(record: AuditRecord) -> list[Target]:
    """What an audit record says to refresh (nothing for a failed operation)."""
    customer = record.customer_id or ""
    if not customer or (record.operation_status or "succeeded").lower() != "succeeded":
        return []
    data = record.data
    kind = (record.resource_type or "").lower()
    if kind == "customer":
        return [Target(CUSTOMER, customer)]
    if kind == "order":
        return [Target(SUBSCRIPTIONS, customer)]
    if kind == "subscription":
        subscription_id = data.get("SubscriptionId") or _new_id(record)
        return [Target(SUBSCRIPTION, customer, subscription_id)] if subscription_id else []
    if kind in ("customer_user", "license"):
        user_id = data.get("CustomerUserId") or _new_id(record)
        user = [Target(USER, customer, user_id)] if user_id else []
        return [*user, Target(SKUS, customer)] if kind == "license" else user
    return []


def _new_id(record: AuditRecord) -> str:
    value = record.new_value() or record.old_value() or {}
    return str(value.get("Id") or "") if isinstance(value, dict) else ""


def cause_of(record: AuditRecord, source: str = "audit") -> Cause:
    """Who changed what the record names, and when."""
    return Cause(
        source=source,
        changed_by=record.user_principal_name or record.application_id,
        changed_at=record.operation_date,
    )


def _cursor(session: Session, resource: str) -> SyncCursor | None:
    return session.exec(select(SyncCursor).where(SyncCursor.resource == resource)).first()


def _move_cursor(resource: str, record: AuditRecord) -> Callable[[Session], None]:
    def move(session: Session) -> None:
        assert record.operation_date is not None
        row = _cursor(session, resource) or SyncCursor(
            resource=resource, record_at=record.operation_date, record_id=record.id
        )
        row.record_at, row.record_id = record.operation_date, record.id
        session.add(row)

    return move


def start_cursors_at(session: Session, instant: datetime) -> None:
    """Give every resource without a cursor one at `instant` (after a full import)."""
    for resource in RESOURCES:
        if _cursor(session, resource) is None:
            session.add(SyncCursor(resource=resource, record_at=instant, record_id=""))


def _windows(start: date, today: date) -> list[tuple[date, date]]:
    windows, first = [], start
    while first <= today:
        last = min(first + WINDOW, today)
        windows.append((first, last))
        first = last + timedelta(days=1)
    return windows


async def _records(pc: PartnerCenterClient, resource: str, now: datetime) -> list[AuditRecord]:
    with session_scope() as session:
        cursor = _cursor(session, resource)
        after = (cursor.record_at, cursor.record_id) if cursor else None
    start = max(after[0] if after else now - FIRST_LOOK_BACK, now - KEPT)
    found: dict[str, AuditRecord] = {}
    for first, last in _windows(start.date(), now.date()):
        async for record in pc.audit.iterate(first, last, resource_type=resource):
            if record.operation_date is not None:
                found[record.id] = record
    ordered = sorted(found.values(), key=lambda r: (r.operation_date, r.id))
    return [r for r in ordered if after is None or (r.operation_date, r.id) > after]


async def incremental_pass(
    pc: PartnerCenterClient, now: datetime, progress: Progress | None = None
) -> int:
    """Apply every audit record since the cursors; the number of changes made."""
    pending = [(resource, await _records(pc, resource, now)) for resource in RESOURCES]
    total = sum(len(found) for _, found in pending)
    done = changes = 0
    refreshed: set[Target] = set()
    for resource, found in pending:
        for record in found:
            wanted = [t for t in targets_of(record) if t not in refreshed]
            wanted = [t for t in wanted if t.kind == CUSTOMER or is_linked(t.customer_id)]
            changes += await refresh(
                pc, wanted, cause_of(record), also=_move_cursor(resource, record)
            )
            refreshed.update(wanted)
            done += 1
            if progress is not None:
                progress(done, total, changes)
    return changes
