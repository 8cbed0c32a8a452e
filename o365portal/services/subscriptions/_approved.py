"""Carrying out an approved change of a subscription, and the job round that finishes those a
dead worker left half-done.

The broker's approval is recorded as `carrying_out` before Partner Center is called
(`_requests.py`); `carry_out()` makes the change as the customer who asked (Partner Center read
first, so a change already made is never made again) and then, in one transaction, marks the
request approved and queues the customer's e-mail: the e-mail goes once, with the change made.

`finish_approved_changes()` runs in the `order-provisioning` job's round. A request still
`carrying_out` `STALE_AFTER` after its decision was left by a worker that died: it is claimed
(a conditional UPDATE of its `decided_at`, so one runner takes it) and carried out again, or
found made already (Partner Center's or the portal's row holds it). Partner Center busy or
unreachable leaves it for a later round; a refusal reopens it and tells the brokers why.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlmodel import col, select, update

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalKind, ApprovalStatus
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import clock
from o365portal.services.errors import (
    InvalidInput,
    PartnerCenterBusy,
    PartnerCenterUnavailable,
    ServiceError,
)
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.principal import Principal
from o365portal.services.subscriptions import _changes as actions
from o365portal.services.subscriptions import _renewal as renewal
from o365portal.services.subscriptions._subject import Subject, load_subject

STALE_AFTER = timedelta(minutes=2)  # a change still being carried out this late was abandoned
logger = logging.getLogger("o365portal.subscriptions")


def renewal_input(values: dict[str, Any]) -> renewal.RenewalInput:
    """The renewal settings a request asks for."""
    return renewal.RenewalInput(
        auto_renew=bool(values.get("auto_renew")),
        quantity=int(values["quantity"]) if values.get("quantity") else None,
        term=str(values["term"]) if values.get("term") else None,
        billing_cycle=str(values["billing_cycle"]) if values.get("billing_cycle") else None,
    )


async def _run(requester: Principal, row: ApprovalRequest, pc: PartnerCenterClient | None) -> str:
    subscription_id = int(row.payload["subscription_id"])
    values = dict(row.payload.get("values") or {})
    if row.kind == ApprovalKind.QUANTITY:
        outcome = await actions.change_quantity(
            actor=requester,
            subscription_id=subscription_id,
            quantity=values["quantity"],
            pc=pc,
            approved=True,
        )
    elif row.kind == ApprovalKind.CANCEL:
        outcome = await actions.cancel_subscription(
            actor=requester, subscription_id=subscription_id, pc=pc, approved=True
        )
    else:
        outcome = await actions.set_renewal(
            actor=requester,
            subscription_id=subscription_id,
            wanted=renewal_input(values),
            pc=pc,
            approved=True,
        )
    return outcome.message


def _holds(subject: Subject, row: ApprovalRequest) -> bool:
    """Whether the portal's row already shows the change (recorded, or synced from Microsoft)."""
    values = dict(row.payload.get("values") or {})
    if row.kind == ApprovalKind.QUANTITY:
        return subject.quantity == int(values["quantity"])
    if row.kind == ApprovalKind.CANCEL:
        return subject.status == "deleted"
    wanted = renewal_input(values)
    if not wanted.auto_renew or subject.auto_renew != wanted.auto_renew:
        return subject.auto_renew == wanted.auto_renew
    quantity, term, cycle = renewal.renewal_values(subject, wanted)
    scheduled = subject.renewal_changes
    if (quantity, term, cycle) == (subject.quantity, subject.term, subject.billing_cycle):
        return scheduled is None
    asked = (quantity, term.value, cycle.value)
    return scheduled is not None and asked == tuple(
        scheduled.get(key) for key in ("quantity", "term", "billing_cycle")
    )


async def _made(
    requester: Principal, row: ApprovalRequest, pc: PartnerCenterClient | None, resumed: bool
) -> str:
    if resumed:
        with session_scope() as session:
            subscription_id = int(row.payload["subscription_id"])
            subject = load_subject(session, requester, subscription_id, changing=False)
        if _holds(subject, row):
            return f"{subject.friendly_name} is changed as you asked."
    return await _run(requester, row, pc)


async def carry_out(
    requester: Principal,
    row: ApprovalRequest,
    pc: PartnerCenterClient | None = None,
    *,
    resumed: bool = False,
) -> str:
    """Make the approved change (`resumed`: perhaps made already), then mark the request
    approved and tell the customer in one transaction; what was done, in words."""
    message = await _made(requester, row, pc, resumed)
    with session_scope() as session:
        done = approvals.carried_out(session, row.id or 0)
        if done is not None:
            note = f"\nComment: {done.comment}" if done.comment else ""
            approvals.tell_requester(
                session,
                done,
                "Your change was approved",
                f"Your request ({done.payload.get('summary')}) was approved. {message}{note}",
            )
    approvals.announce_decision(row.organization_id)
    return message


def _abandoned(stale_after: timedelta) -> list[int]:
    with session_scope() as session:
        return [
            request_id or 0
            for request_id in session.exec(
                select(ApprovalRequest.id)
                .where(ApprovalRequest.status == ApprovalStatus.CARRYING_OUT)
                .where(col(ApprovalRequest.decided_at) < clock.now() - stale_after)
                .order_by(col(ApprovalRequest.id))
            ).all()
        ]


def _claim(request_id: int, stale_after: timedelta) -> tuple[Principal, ApprovalRequest] | None:
    """Take an abandoned change for this runner; None if another runner has it."""
    now = clock.now()
    with session_scope() as session:
        changed = session.exec(
            update(ApprovalRequest)
            .where(col(ApprovalRequest.id) == request_id)
            .where(col(ApprovalRequest.status) == ApprovalStatus.CARRYING_OUT)
            .where(col(ApprovalRequest.decided_at) < now - stale_after)
            .values(decided_at=now)
        ).rowcount
        row = session.get(ApprovalRequest, request_id)
        if changed != 1 or row is None:
            return None
        requester = approvals.requester_of(session, row)
        session.expunge(row)
        return requester, row


def _give_back(row: ApprovalRequest, refused: ServiceError) -> None:
    approvals.reopen(row.id or 0, row.organization_id)
    reason = " ".join(refused.field_errors.values()) if isinstance(refused, InvalidInput) else ""
    with session_scope() as session:
        approvals.notify_brokers(
            session,
            "An approved change could not be made",
            f"The approved request ({row.payload.get('summary')}) could not be made: "
            f"{reason or refused} It waits for your decision again.",
        )


async def _finish(request_id: int, pc: PartnerCenterClient | None, stale_after: timedelta) -> bool:
    claimed = _claim(request_id, stale_after)
    if claimed is None:
        return False
    requester, row = claimed
    try:
        await carry_out(requester, row, pc, resumed=True)
    except (PartnerCenterBusy, PartnerCenterUnavailable) as busy:  # a later round tries again
        logger.warning("approved change %s: %s", request_id, busy)
        return False
    except ServiceError as refused:
        _give_back(row, refused)
        return False
    return True


async def finish_approved_changes(
    *, pc: PartnerCenterClient | None = None, stale_after: timedelta = STALE_AFTER
) -> list[int]:
    """One round: carry out the approved changes a dead worker left; the ids this runner
    finished."""
    finished = []
    for request_id in _abandoned(stale_after):
        try:
            if await _finish(request_id, pc, stale_after):
                finished.append(request_id)
        except Exception:  # logged; one broken request must not hold up the others
            logger.exception("approved change %s: finishing failed", request_id)
    return finished
