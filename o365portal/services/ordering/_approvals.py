"""Approval requests: a customer's order waiting for the broker when approvals are required.

A request stores the validated order form; approving it runs the order then (prices and rules
of that moment, services/ordering_approvals.py). Brokers see every pending request (the
navigation badge counts them) and approve or reject with a comment; the customer sees their own
and may cancel one still pending. Each step e-mails the other side through the outbox, in the
same transaction as the decision, and is announced to open pages after it (services/changes.py).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalKind, ApprovalStatus, Role
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.organizations import Organization
from o365portal.mail.templates import Email
from o365portal.services import changes, clock
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound, ServiceError
from o365portal.services.ordering._approval_views import RequestView, describe
from o365portal.services.ordering._approval_views import (
    summary_of as summary_of,  # approve's e-mail
)
from o365portal.services.ordering._input import OrderOutcome, PreparedOrder
from o365portal.services.ordering._rules import catalog_row
from o365portal.services.outbox import _outbox as mail
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

REJECTED_SHOWN_DAYS = 30


class AlreadyDecided(ServiceError):
    """The request is no longer pending (decided or cancelled meanwhile)."""

    def __init__(self) -> None:
        super().__init__("This request is no longer pending.")


def _brokers(session: Session) -> list[str]:
    query = select(PortalAccount.email).where(PortalAccount.role == Role.BROKER)
    return list(session.exec(query.where(col(PortalAccount.is_active).is_(True))).all())


def _notify(session: Session, to: list[str], subject: str, body: str) -> None:
    for address in to:
        mail.enqueue(session, Email(to_address=address, subject=subject, body_text=body))


def notify_brokers(session: Session, subject: str, body: str) -> None:
    """E-mail every active broker (in the caller's transaction, through the outbox)."""
    _notify(session, _brokers(session), subject, body)


def request_order(*, actor: Principal, order: PreparedOrder) -> OrderOutcome:
    """Store a customer's validated order for the broker's decision and tell the brokers."""
    payload = order.data.as_payload()
    payload |= {"friendly_name": order.friendly_name, "product_title": order.title}
    if order.base_name:
        payload["base_name"] = order.base_name
    with session_scope() as session:
        row = ApprovalRequest(
            organization_id=order.organization_id,
            requested_by_account_id=actor.account_id,
            kind=ApprovalKind.ORDER,
            payload=payload,
            requested_at=clock.now(),
        )
        session.add(row)
        session.flush()
        notify_brokers(
            session,
            "Approval needed: new subscription",
            f"{actor.name} ({actor.email}) asks for {summary_of(payload)}.\n"
            "Open Approvals in the portal to approve or reject it.",
        )
    announce_decision(order.organization_id)
    return OrderOutcome("approval", "Your order was sent to your broker for approval.", row.id or 0)


def _title(session: Session, payload: dict[str, object]) -> str:
    ref = CatalogItemRef.parse(str(payload.get("item", "")))
    row = catalog_row(session, ref) if ref else None
    return row.title if row else ""


def _requests(
    actor: Principal, organization_id: int | None, *conditions: ColumnElement[bool]
) -> list[RequestView]:
    if not actor.is_broker:
        if actor.organization_id is None:
            return []
        organization_id = actor.organization_id
    query = (
        select(ApprovalRequest, Organization.company_name, PortalAccount.email)
        .join(Organization, col(Organization.id) == col(ApprovalRequest.organization_id))
        .join(PortalAccount, col(PortalAccount.id) == col(ApprovalRequest.requested_by_account_id))
        .where(*conditions)
        .order_by(col(ApprovalRequest.id).desc())
    )
    if organization_id is not None:
        query = query.where(ApprovalRequest.organization_id == organization_id)
    with session_scope() as session:
        found = [(*r, _title(session, r[0].payload)) for r in session.exec(query).all()]
    return [describe(actor, row, name, email, title) for row, name, email, title in found]


def list_requests(
    *, actor: Principal, organization_id: int | None = None, pending_only: bool = True
) -> list[RequestView]:
    """Requests newest first: brokers all (or one organization's), customers their own."""
    if pending_only:
        return _requests(
            actor, organization_id, col(ApprovalRequest.status) == ApprovalStatus.PENDING
        )
    return _requests(actor, organization_id)


def recent_requests(*, actor: Principal, organization_id: int) -> list[RequestView]:
    """The organization's pending requests and those rejected in the last REJECTED_SHOWN_DAYS,
    newest first: a customer keeps seeing why the broker said no."""
    since = clock.now() - timedelta(days=REJECTED_SHOWN_DAYS)
    status, decided_at = col(ApprovalRequest.status), col(ApprovalRequest.decided_at)
    rejected = and_(status == ApprovalStatus.REJECTED, decided_at >= since)
    return _requests(actor, organization_id, or_(status == ApprovalStatus.PENDING, rejected))


def pending_count(*, actor: Principal) -> int:
    """How many requests wait for a broker (0 for customers)."""
    if not actor.is_broker:
        return 0
    with session_scope() as session:
        query = select(func.count()).where(ApprovalRequest.status == ApprovalStatus.PENDING)
        return int(session.exec(query).one())


def reopen(request_id: int, organization_id: int) -> None:
    """Undo an approval that could not be carried out: the request is pending again."""
    with session_scope() as session:
        session.exec(
            update(ApprovalRequest)
            .where(col(ApprovalRequest.id) == request_id)
            .values(status=ApprovalStatus.PENDING, decided_by_account_id=None, decided_at=None)
        )
    announce_decision(organization_id)


def announce_decision(organization_id: int) -> None:
    """Tell open pages that the organization's requests changed (the lists and the badge)."""
    changes.announce(organization_id, changes.APPROVALS, changes.BADGES)


def decide(
    session: Session, actor: Principal, request_id: int, status: ApprovalStatus, comment: str
) -> ApprovalRequest:
    """Move a pending request to `status` (one conditional UPDATE: a decision happens once)."""
    changed = session.exec(
        update(ApprovalRequest)
        .where(col(ApprovalRequest.id) == request_id)
        .where(col(ApprovalRequest.status) == ApprovalStatus.PENDING)
        .values(
            status=status,
            decided_by_account_id=actor.account_id or None,
            decided_at=clock.now(),
            comment=comment or None,
        )
    ).rowcount
    if changed != 1:
        raise AlreadyDecided()
    row = session.get(ApprovalRequest, request_id)
    assert row is not None
    session.refresh(row)
    return row


def carried_out(session: Session, request_id: int) -> ApprovalRequest | None:
    """Mark an approval being carried out as done (one conditional UPDATE: once); None if it
    was not being carried out (done already, or reopened)."""
    changed = session.exec(
        update(ApprovalRequest)
        .where(col(ApprovalRequest.id) == request_id)
        .where(col(ApprovalRequest.status) == ApprovalStatus.CARRYING_OUT)
        .values(status=ApprovalStatus.APPROVED)
    ).rowcount
    row = session.get(ApprovalRequest, request_id) if changed == 1 else None
    if row is not None:
        session.refresh(row)
    return row


def requester_of(session: Session, row: ApprovalRequest) -> Principal:
    """The customer who asked, as the principal their request runs as."""
    account = session.get(PortalAccount, row.requested_by_account_id)
    if account is None or account.id is None:
        raise NotFound("customer account")
    return Principal(
        account_id=account.id,
        email=account.email,
        name=f"{account.first_name} {account.last_name}".strip(),
        role=Role(account.role),
        organization_id=account.organization_id,
    )


def load_request(session: Session, actor: Principal, request_id: int) -> ApprovalRequest:
    """A request the actor may see, else NotFound."""
    row = session.get(ApprovalRequest, request_id)
    if row is None or not actor.may_see_organization(row.organization_id):
        raise NotFound("approval request")
    return row


def requester_email(session: Session, row: ApprovalRequest) -> str:
    """The e-mail of the customer who asked."""
    account = session.get(PortalAccount, row.requested_by_account_id)
    return account.email if account else ""


def tell_requester(session: Session, row: ApprovalRequest, subject: str, body: str) -> None:
    """E-mail the customer who asked."""
    _notify(session, [requester_email(session, row)], subject, body)


def reject(*, actor: Principal, request_id: int, comment: str) -> None:
    """Refuse a pending request with a comment (brokers only); the customer is told why."""
    if not actor.is_broker:
        raise NotAllowed()
    if not comment.strip():
        raise InvalidInput({"comment": "Say why, so the customer knows."})
    with session_scope() as session:
        load_request(session, actor, request_id)
        row = decide(session, actor, request_id, ApprovalStatus.REJECTED, comment.strip())
        tell_requester(
            session,
            row,
            "Your order was not approved",
            f"Your request for {summary_of(row.payload)} was rejected.\nComment: {row.comment}",
        )
    announce_decision(row.organization_id)


def cancel(*, actor: Principal, request_id: int) -> None:
    """A customer withdraws their own pending request; the brokers are told."""
    with session_scope() as session:
        row = load_request(session, actor, request_id)
        if row.requested_by_account_id != actor.account_id:
            raise NotAllowed("Only the person who asked can cancel this request.")
        row = decide(session, actor, request_id, ApprovalStatus.CANCELLED, "")
        notify_brokers(
            session,
            "Approval request cancelled",
            f"{actor.name} cancelled the request for {summary_of(row.payload)}.",
        )
    announce_decision(row.organization_id)


async def pending_approvals(*, actor: Principal) -> int:
    """The navigation badge's count of pending requests (badges are fetched as awaitables)."""
    return pending_count(actor=actor)
