"""Recording a change Partner Center has made: the row, its seat lots, history, agreed values.

The portal's row takes Partner Center's answer (quantity, status, name, auto-renew, term end,
the changes scheduled for the renewal) and keeps it as the values agreed with Partner Center,
so the next sync sees no drift; a history line says who did what, before, after, and its money
effect; open pages hear of it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, delete

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, SeatLotReason
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionHistory
from o365portal.domain.nce import SeatLot as DomainLot
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.services import changes, clock
from o365portal.services.principal import Principal
from o365portal.services.subscriptions._subject import Subject
from o365portal.services.sync._records import renewal_changes_of, subscription_values


def record_change(
    subject: Subject,
    actor: Principal,
    action: str,
    pc: PcSubscription,
    before: dict[str, Any],
    after: dict[str, Any],
    effect: str,
    lots: list[DomainLot] | None = None,
) -> None:
    """Store Partner Center's answer as the portal's row, agreed values, lots and history."""
    now = clock.now()
    with session_scope() as session:
        row = session.get(Subscription, subject.id)
        assert row is not None
        values = subscription_values(pc)
        row.quantity, row.status = values["quantity"], values["status"]
        row.auto_renew, row.friendly_name = values["auto_renew"], values["friendly_name"]
        row.renewal_changes = renewal_changes_of(pc)
        row.pc_values, row.synced_at = values, now
        term_end = pc.commitment_end_date_time or pc.commitment_end_date
        if term_end is not None:
            row.term_end_at = term_end
        session.add(row)
        if lots is not None:
            store_lots(session, subject.id, lots)
        session.add(
            SubscriptionHistory(
                subscription_id=subject.id,
                actor_account_id=actor.account_id or None,
                origin=ChangeOrigin.PORTAL,
                at=now,
                action=action,
                before=before,
                after=after | ({"effect": effect} if effect else {}),
            )
        )
    changes.announce(subject.organization_id, changes.SUBSCRIPTIONS)


def store_lots(session: Session, subscription_id: int, lots: list[DomainLot]) -> None:
    session.exec(delete(SeatLot).where(col(SeatLot.subscription_id) == subscription_id))
    for lot in lots:
        session.add(
            SeatLot(
                subscription_id=subscription_id,
                quantity=lot.quantity,
                added_at=lot.added_at,
                reason=SeatLotReason(lot.reason.value),
                reducible_until=lot.deadline,
            )
        )
