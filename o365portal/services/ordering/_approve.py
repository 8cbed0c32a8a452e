"""Approving a customer's order request: the broker's yes places (or schedules) the order.

The stored form is validated again as the customer who asked, against today's catalog, settings
and prices, before anything is decided. The decision is taken with one conditional UPDATE, so
two brokers clicking at once place one order, in the transaction that records the order (once
its cart exists, before checkout) or stores the scheduled order, with the e-mail telling the
customer: a worker killed midway leaves either the request pending and nothing bought, or the
request approved, the customer told and the order recorded for the `order-provisioning` job to
finish. If Partner Center then refuses the checkout, the decision is undone, the request is
pending again with the reason in the error, and the customer is told.
"""

from __future__ import annotations

from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalStatus
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.partner_center import PartnerCenterClient
from o365portal.services.errors import InvalidInput, NotAllowed, ServiceError
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._approvals import AlreadyDecided, summary_of
from o365portal.services.ordering._input import OrderOutcome, PreparedOrder
from o365portal.services.principal import Principal


class CannotApprove(ServiceError):
    """The request can't be placed as it stands (catalog, settings or prices changed)."""


def request_of(request_id: int, broker: Principal) -> tuple[Principal, int, dict[str, object]]:
    """The customer who asked for a pending request, its organization and its payload."""
    with session_scope() as session:
        row = approvals.load_request(session, broker, request_id)
        if row.status != ApprovalStatus.PENDING:
            raise AlreadyDecided()
        return approvals.requester_of(session, row), row.organization_id, dict(row.payload)


def _prepared(
    requester: Principal, organization_id: int, payload: dict[str, object]
) -> PreparedOrder:
    try:
        return ordering.prepare_order(
            actor=requester, organization_id=organization_id, form=payload
        )
    except InvalidInput as invalid:
        reasons = " ".join(invalid.field_errors.values())
        raise CannotApprove(f"This order can't be placed as it stands: {reasons}") from None


async def approve(
    *,
    actor: Principal,
    request_id: int,
    comment: str = "",
    pc: PartnerCenterClient | None = None,
) -> OrderOutcome:
    """Approve a pending request (brokers only): place or schedule the order, tell the customer."""
    if not actor.is_broker:
        raise NotAllowed()
    requester, organization_id, payload = request_of(request_id, actor)
    order = _prepared(requester, organization_id, payload)
    decided: list[int] = []

    def decide(session: Session, message: str) -> None:
        row = approvals.decide(session, actor, request_id, ApprovalStatus.APPROVED, comment.strip())
        note = f"\nComment: {row.comment}" if row.comment else ""
        body = f"Your request for {summary_of(row.payload)} was approved. {message}{note}"
        approvals.tell_requester(session, row, "Your order was approved", body)
        decided.append(request_id)

    try:
        outcome = await ordering.execute_order(
            order=order, actor=requester, pc=pc, note=f"approved by {actor.name}", also=decide
        )
    except AlreadyDecided:
        raise
    except ServiceError as error:
        if decided:  # refused after the decision was recorded: undo it and say so
            _undo(request_id, organization_id, error)
        raise
    approvals.announce_decision(organization_id)
    return outcome


def _undo(request_id: int, organization_id: int, error: ServiceError) -> None:
    approvals.reopen(request_id, organization_id)
    with session_scope() as session:
        row = session.get(ApprovalRequest, request_id)
        assert row is not None
        approvals.tell_requester(
            session,
            row,
            "Your approved order could not be placed",
            f"Your request for {summary_of(row.payload)} was approved, but Microsoft refused "
            f"the order: {error} The request waits for your broker again.",
        )
