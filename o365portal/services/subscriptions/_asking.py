"""A customer's change of a subscription as an approval request, when the broker wants them.

The request stores the subscription and the asked values with one line in words; the broker's
approval runs the change as the customer who asked, against the rules and prices of that
moment (`_requests.py`). Brokers are e-mailed in the same transaction, and open pages hear of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalKind
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.subscriptions import Subscription
from o365portal.services import clock
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._input import seats_label
from o365portal.services.principal import Principal

_KINDS = {
    "quantity": ApprovalKind.QUANTITY,
    "renewal": ApprovalKind.RENEWAL,
    "cancel": ApprovalKind.CANCEL,
}


@dataclass(frozen=True)
class ChangeOutcome:
    """What happened: `done` (live in Microsoft) or `approval` (waits for the broker)."""

    kind: str
    message: str


def needs_approval(actor: Principal) -> bool:
    """Whether the actor's changes wait for the broker (customers, when approvals are on)."""
    with session_scope() as session:
        return not actor.is_broker and ordering.approvals_required(session)


def summary(name: str, action: str, values: dict[str, Any], quantity: int) -> str:
    """The request's one line: what changes on which subscription."""
    if action == "quantity":
        return f"{name}: {seats_label(quantity)} → {seats_label(int(values['quantity']))}"
    if action == "cancel":
        return f"Cancel {name} ({seats_label(quantity)})"
    if not values.get("auto_renew"):
        return f"{name}: do not renew"
    wanted = [
        seats_label(int(values["quantity"])) if values.get("quantity") else "",
        str(values.get("term") or ""),
        str(values.get("billing_cycle") or ""),
    ]
    changes = ", ".join(word for word in wanted if word) or "unchanged"
    return f"{name}: renew ({changes})"


def request_change(
    actor: Principal,
    subscription_id: int,
    action: str,
    values: dict[str, Any],
    *,
    then: dict[str, Any] | None = None,
) -> ChangeOutcome:
    """Store the customer's change for the broker's decision and tell the brokers; `then`, what
    is to follow once the change is made, is kept with it."""
    with session_scope() as session:
        row = session.get(Subscription, subscription_id)
        assert row is not None and actor.organization_id is not None
        line = summary(row.friendly_name, action, values, row.quantity)
        request = ApprovalRequest(
            organization_id=actor.organization_id,
            requested_by_account_id=actor.account_id,
            kind=_KINDS[action],
            payload={
                "subscription_id": subscription_id,
                "action": action,
                "values": values,
                "summary": line,
                "friendly_name": row.friendly_name,
            }
            | ({"then": then} if then else {}),
            requested_at=clock.now(),
        )
        session.add(request)
        approvals.notify_brokers(
            session,
            "Approval needed: subscription change",
            f"{actor.name} ({actor.email}) asks: {line}.\n"
            "Open Approvals in the portal to approve or reject it.",
        )
    approvals.announce_decision(actor.organization_id)
    return ChangeOutcome("approval", "Your change was sent to your broker for approval.")
