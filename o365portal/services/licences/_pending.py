"""Licences waiting for seats: a customer's licence change whose seat purchase needed approval.

`buy_and_assign` keeps the licence change with the seat request (`then`, under PENDING). Once
the broker has approved and the seats are bought, `complete_pending_licences` (a job's round)
makes the change as the customer who asked, records the outcome on the request so it happens
once, and e-mails the customer. Partner Center being busy or unavailable leaves it for the next
round; any other refusal is recorded and told, never retried for ever.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalKind, ApprovalStatus, Role
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import clock
from o365portal.services.errors import PartnerCenterBusy, PartnerCenterUnavailable, ServiceError
from o365portal.services.licences._assign import PENDING, set_licences
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.principal import Principal

DONE = "then_done"
LOOK_BACK = timedelta(days=7)  # approved requests older than this are not looked at again


def _waiting() -> list[tuple[int, dict[str, Any], Principal]]:
    since = clock.now() - LOOK_BACK
    with session_scope() as session:
        rows = session.exec(
            select(ApprovalRequest, PortalAccount)
            .join(
                PortalAccount, col(PortalAccount.id) == col(ApprovalRequest.requested_by_account_id)
            )
            .where(ApprovalRequest.kind == ApprovalKind.QUANTITY)
            .where(ApprovalRequest.status == ApprovalStatus.APPROVED)
            .where(col(ApprovalRequest.decided_at) >= since)
        ).all()
        return [
            (request.id or 0, dict(request.payload), _principal(account))
            for request, account in rows
            if PENDING in (request.payload.get("then") or {}) and DONE not in request.payload
        ]


def _principal(account: PortalAccount) -> Principal:
    name = f"{account.first_name} {account.last_name}".strip()
    return Principal(
        account.id or 0, account.email, name, Role(account.role), account.organization_id
    )


def _record(request_id: int, result: str) -> None:
    with session_scope() as session:
        row = session.get(ApprovalRequest, request_id)
        if row is None:
            return
        row.payload = {**row.payload, DONE: {"at": clock.now().isoformat(), "result": result}}
        session.add(row)
        approvals.tell_requester(
            session, row, "Your licence change", f"After the seats you asked for: {result}"
        )


async def complete_pending_licences(*, pc: PartnerCenterClient | None = None) -> list[int]:
    """Make the licence changes whose seats the broker has approved; the requests done."""
    done = []
    for request_id, payload, requester in _waiting():
        change = payload["then"][PENDING]
        try:
            outcome = await set_licences(
                actor=requester,
                user_id=int(change["user_id"]),
                assign=[int(i) for i in change.get("assign", [])],
                remove=[int(i) for i in change.get("remove", [])],
                pc=pc,
            )
            result = outcome.message
        except (PartnerCenterBusy, PartnerCenterUnavailable):
            continue  # the next round tries again
        except ServiceError as refused:
            result = f"the licence change was not made: {refused}"
        _record(request_id, result)
        done.append(request_id)
    return done
