"""Deciding a customer's change request: preview it, approve it (run it as the customer).

`approve_request` is the one approval entry point of the Approvals page: an order goes to
services/ordering, a subscription change is decided here. The change runs with the rules and
prices of the moment of approval, as the customer who asked; if Microsoft or the rules refuse it,
the decision is undone and the request stays pending with the reason in the error. The decision
is recorded as `carrying_out` first and the customer told with the change made (`_approved.py`):
a worker killed midway leaves the change for the `order-provisioning` job to finish.
"""

from __future__ import annotations

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalKind, ApprovalStatus
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import ordering
from o365portal.services.errors import InvalidInput, NotAllowed, ServiceError
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _approve as approve_orders
from o365portal.services.principal import Principal
from o365portal.services.subscriptions import _previews as previews
from o365portal.services.subscriptions import _renewal as renewal
from o365portal.services.subscriptions._approved import carry_out, renewal_input
from o365portal.services.subscriptions._asking import ChangeOutcome


def _load(actor: Principal, request_id: int) -> tuple[Principal, int, ApprovalRequest]:
    requester, organization_id, _ = approve_orders.request_of(request_id, actor)
    with session_scope() as session:
        row = approvals.load_request(session, actor, request_id)
        session.expunge(row)
    return requester, organization_id, row


def preview_request(*, actor: Principal, request_id: int) -> previews.ChangePreview | None:
    """The cost preview of a pending change request as the broker sees it (None for orders)."""
    if not actor.is_broker:
        raise NotAllowed()
    with session_scope() as session:
        row = approvals.load_request(session, actor, request_id)
        kind, payload = row.kind, dict(row.payload)
    if kind == ApprovalKind.ORDER:
        return None
    subscription_id, values = int(payload["subscription_id"]), dict(payload.get("values") or {})
    try:
        if kind == ApprovalKind.QUANTITY:
            return previews.preview_quantity(
                actor=actor, subscription_id=subscription_id, quantity=values["quantity"]
            )
        if kind == ApprovalKind.CANCEL:
            return previews.preview_cancel(actor=actor, subscription_id=subscription_id)
        return renewal.preview_renewal(
            actor=actor, subscription_id=subscription_id, wanted=renewal_input(values)
        )
    except ServiceError:
        return None


async def approve_request(
    *,
    actor: Principal,
    request_id: int,
    comment: str = "",
    pc: PartnerCenterClient | None = None,
) -> ChangeOutcome | ordering.OrderOutcome:
    """Approve a pending request (brokers only): an order is placed, a change is made."""
    if not actor.is_broker:
        raise NotAllowed()
    requester, organization_id, row = _load(actor, request_id)
    if row.kind == ApprovalKind.ORDER:
        return await ordering.approve(actor=actor, request_id=request_id, comment=comment, pc=pc)
    with session_scope() as session:
        approvals.decide(session, actor, request_id, ApprovalStatus.CARRYING_OUT, comment.strip())
    approvals.announce_decision(organization_id)
    try:
        message = await carry_out(requester, row, pc)
    except InvalidInput as invalid:
        approvals.reopen(request_id, organization_id)
        reasons = " ".join(invalid.field_errors.values())
        raise approve_orders.CannotApprove(f"This change can't be made now: {reasons}") from None
    except ServiceError:
        approvals.reopen(request_id, organization_id)
        raise
    return ChangeOutcome("done", message)
