"""Changing a subscription: quantity, cancel, suspend, activate, renewal settings.

Each use case checks the change with its preview (`_previews.py`, `_renewal.py`) first. A
broker's change, or a customer's when the broker does not require approvals, is written to
Partner Center at once (`_partner_center.write`: never twice) and recorded (`_records.py`); a
customer's change with approvals on becomes an approval request (`_asking.py`), which the
broker's approval runs as that customer (`_requests.py`, with `approved=True`: Partner Center
is read first, as an approval may be carried out again after a crash). A mid-term
quantity change, a suspension or auto-renew off drop the changes scheduled for the renewal, as
Microsoft does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from o365portal.db.engine import session_scope
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.nce import (
    LotReason,
    plan_reduction,
)
from o365portal.domain.nce import SeatLot as DomainLot
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.models import Subscription as PcSubscription
from o365portal.partner_center.models.subscriptions import (
    ScheduledNextTermInstructions,
    ScheduledProduct,
)
from o365portal.services import clock
from o365portal.services.errors import InvalidInput
from o365portal.services.ordering._input import seats_label
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.subscriptions import _asking as asking
from o365portal.services.subscriptions import _partner_center as microsoft
from o365portal.services.subscriptions import _preview as rating
from o365portal.services.subscriptions._asking import ChangeOutcome
from o365portal.services.subscriptions._previews import (
    ChangePreview,
    parse_quantity,
    preview_cancel,
    preview_quantity,
    preview_status,
)
from o365portal.services.subscriptions._records import record_change
from o365portal.services.subscriptions._renewal import RenewalInput, preview_renewal, renewal_values
from o365portal.services.subscriptions._subject import Subject, load_subject
from o365portal.services.sync._records import renewal_changes_of


async def _written(
    subject: Subject,
    action: str,
    change: microsoft.Change,
    done: microsoft.Done,
    pc: PartnerCenterClient | None,
    check_first: bool = False,
) -> PcSubscription:
    args = (subject.customer_id, subject.pc_subscription_id, change, done)
    if pc is not None:
        return await microsoft.write(pc, *args, action=action, check_first=check_first)
    async with partner_center() as client:
        return await microsoft.write(client, *args, action=action, check_first=check_first)


def _effect(preview: ChangePreview) -> str:
    return "" if preview.now.startswith("Nothing") else preview.now


async def change_quantity(
    *,
    actor: Principal,
    subscription_id: int,
    quantity: str | int,
    pc: PartnerCenterClient | None = None,
    approved: bool = False,
    then: dict[str, Any] | None = None,
) -> ChangeOutcome:
    """Change the seat count now (a customer's waits for approval when the broker wants it,
    unless `approved`: the broker's approval runs it). `then` is kept with a request for
    approval: what is to happen once the seats exist (licences to assign, services/licences)."""
    preview = preview_quantity(actor=actor, subscription_id=subscription_id, quantity=quantity)
    if not preview.allowed:
        raise InvalidInput({"quantity": preview.refusal})
    wanted = parse_quantity(quantity)
    if not approved and asking.needs_approval(actor):
        values = {"quantity": wanted}
        return asking.request_change(actor, subscription_id, "quantity", values, then=then)
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
    now = clock.now()
    lots = _lots_after(subject, wanted, now)
    pc_row = await _written(
        subject,
        "the seat change",
        lambda client: client.subscriptions.set_quantity(
            subject.customer_id, subject.pc_subscription_id, wanted
        ),
        microsoft.holds(quantity=wanted),
        pc,
        check_first=approved,
    )
    record_change(
        subject, actor, "quantity", pc_row,
        {"quantity": subject.quantity}, {"quantity": wanted}, _effect(preview), lots,
    )  # fmt: skip
    return ChangeOutcome(
        "done", f"{subject.friendly_name} now has {seats_label(wanted)}. {_effect(preview)}".strip()
    )


def _lots_after(subject: Subject, wanted: int, now: datetime) -> list[DomainLot]:
    if wanted > subject.quantity:
        return [*subject.lots, DomainLot(wanted - subject.quantity, now, LotReason.ADDITION)]
    plan = plan_reduction(subject.lots, subject.quantity - wanted, now, renews_on=date.min)
    return list(plan.remaining)


async def cancel_subscription(
    *,
    actor: Principal,
    subscription_id: int,
    pc: PartnerCenterClient | None = None,
    approved: bool = False,
) -> ChangeOutcome:
    """Cancel within the 7-day window, with the refund the preview showed."""
    preview = preview_cancel(actor=actor, subscription_id=subscription_id)
    if not preview.allowed:
        raise InvalidInput({"cancel": preview.refusal})
    if not approved and asking.needs_approval(actor):
        return asking.request_change(actor, subscription_id, "cancel", {})
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
    pc_row = await _written(
        subject,
        "the cancellation",
        lambda client: client.subscriptions.cancel(subject.customer_id, subject.pc_subscription_id),
        microsoft.holds(status="deleted"),
        pc,
        check_first=approved,
    )
    record_change(
        subject, actor, "cancel", pc_row,
        {"status": subject.status}, {"status": "deleted"}, _effect(preview), [],
    )  # fmt: skip
    return ChangeOutcome(
        "done", f"{subject.friendly_name} is cancelled. {_effect(preview)}".strip()
    )


async def set_status(
    *,
    actor: Principal,
    subscription_id: int,
    status: str,
    pc: PartnerCenterClient | None = None,
) -> ChangeOutcome:
    """Suspend or activate (brokers only)."""
    preview = preview_status(actor=actor, subscription_id=subscription_id, status=status)
    if not preview.allowed:
        raise InvalidInput({"status": preview.refusal})
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)

    async def change(client: PartnerCenterClient) -> PcSubscription:
        area = client.subscriptions
        write = area.suspend if status == "suspended" else area.activate
        return await write(subject.customer_id, subject.pc_subscription_id)

    pc_row = await _written(
        subject, f"the {preview.action}", change, microsoft.holds(status=status), pc
    )
    record_change(
        subject, actor, preview.action, pc_row, {"status": subject.status}, {"status": status}, ""
    )
    word = "suspended" if status == "suspended" else "active again"
    return ChangeOutcome("done", f"{subject.friendly_name} is {word}.")


async def set_renewal(
    *,
    actor: Principal,
    subscription_id: int,
    wanted: RenewalInput,
    pc: PartnerCenterClient | None = None,
    approved: bool = False,
) -> ChangeOutcome:
    """Set auto-renew and the changes applied at the renewal."""
    preview = preview_renewal(actor=actor, subscription_id=subscription_id, wanted=wanted)
    if not preview.allowed:
        raise InvalidInput({"renewal": preview.refusal})
    if not approved and asking.needs_approval(actor):
        return asking.request_change(actor, subscription_id, "renewal", vars(wanted))
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
        quantity, term, cycle = renewal_values(subject, wanted)
        item = rating.item_for(session, subject.item, term, cycle)
    unchanged = (quantity, term, cycle) == (subject.quantity, subject.term, subject.billing_cycle)
    instructions = None
    if wanted.auto_renew and not unchanged:
        instructions = ScheduledNextTermInstructions(
            product=ScheduledProduct(
                product_id=item.product_id,
                sku_id=item.sku_id,
                availability_id=item.availability_id,
                billing_cycle=cycle.value,
                term_duration=term.value,
            ),
            quantity=quantity,
        )
    fields: dict[str, Any] = {
        "auto_renew_enabled": wanted.auto_renew,
        "scheduled_next_term_instructions": instructions,
    }
    pc_row = await _written(
        subject,
        "the renewal settings",
        lambda client: client.subscriptions.change(
            subject.customer_id, subject.pc_subscription_id, **fields
        ),
        lambda current: (
            bool(current.auto_renew_enabled) == wanted.auto_renew
            and (current.scheduled_next_term_instructions is None) == (instructions is None)
            and (instructions is None or _same_instructions(current, quantity, term, cycle))
        ),
        pc,
        check_first=approved,
    )
    after = {"auto_renew": wanted.auto_renew, "renewal_changes": renewal_changes_of(pc_row)}
    before = {"auto_renew": subject.auto_renew, "renewal_changes": subject.renewal_changes}
    record_change(subject, actor, "renewal_settings", pc_row, before, after, "")
    return ChangeOutcome("done", _renewal_message(subject, wanted, preview))


def _same_instructions(pc: PcSubscription, quantity: int, term: Term, cycle: BillingCycle) -> bool:
    scheduled = renewal_changes_of(pc) or {}
    return (scheduled.get("quantity"), scheduled.get("term"), scheduled.get("billing_cycle")) == (
        quantity,
        term.value,
        cycle.value,
    )


def _renewal_message(subject: Subject, wanted: RenewalInput, preview: ChangePreview) -> str:
    if not wanted.auto_renew:
        return f"{subject.friendly_name} will not renew; it ends at its term end."
    return f"{subject.friendly_name} renews on {preview.renews_on}: {preview.per_cycle_after}."
