"""The commitment ledger: a subscription's seat lots, each with its 7-day window.

Every purchase, renewal and addition is a lot whose seats can be removed until 168 hours after
it was added; the ledger lists them with that deadline (and the instant, so the page counts down
when under a day is left), how many of its seats are still refundable, the cancellation window
and the renewal date.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from o365portal.db.engine import session_scope
from o365portal.domain.nce import LotReason, cancellation_deadline
from o365portal.domain.terms import renewal_date
from o365portal.services import clock
from o365portal.services.ordering._input import seats_label
from o365portal.services.principal import Principal
from o365portal.services.subscriptions._subject import Subject, load_subject, load_subjects

STAMP = "%Y-%m-%d %H:%M UTC"
SOON = timedelta(hours=24)
_REASONS = {
    LotReason.PURCHASE: "Purchase",
    LotReason.RENEWAL: "Renewal",
    LotReason.ADDITION: "Seats added",
}


@dataclass(frozen=True)
class LotLine:
    """One seat lot of the ledger."""

    reason: str  # Purchase | Renewal | Seats added
    seats: str  # "3 seats"
    added_at: str  # "2026-11-30 08:36 UTC"
    deadline: str  # the end of its window, same format
    deadline_iso: str  # the same instant for the page's countdown
    refundable: int  # seats still removable from this lot
    closing_soon: bool  # the window closes within 24 hours


@dataclass(frozen=True)
class Ledger:
    """A subscription's commitment: lots, refundable seats, cancellation and renewal."""

    subscription_id: int
    friendly_name: str
    quantity: int
    lots: list[LotLine]
    refundable: int
    cancel_until: str  # "" when the cancellation window has closed
    cancel_until_iso: str
    term_ends: str  # the current term's last day; Microsoft renews it the next day


def _term_ends(subject: Subject) -> str:
    ends = subject.term_end or renewal_date(subject.term_start, subject.term) - timedelta(days=1)
    return ends.isoformat()


def commitment_ledger(*, actor: Principal, subscription_id: int) -> Ledger:
    """The seat lots of a subscription the actor may see, newest first."""
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id, changing=False)
    return _ledger(subject, clock.now())


def commitment_ledgers(*, actor: Principal, subscription_ids: Collection[int]) -> dict[int, Ledger]:
    """The ledgers of the subscriptions of `subscription_ids` the actor may see, by id, read
    in a fixed number of queries (the others are left out)."""
    with session_scope() as session:
        subjects = load_subjects(session, actor, subscription_ids)
    now = clock.now()
    return {key: _ledger(subject, now) for key, subject in subjects.items()}


def _ledger(subject: Subject, now: datetime) -> Ledger:
    lines = [
        LotLine(
            reason=_REASONS[lot.reason],
            seats=seats_label(lot.quantity),
            added_at=lot.added_at.strftime(STAMP),
            deadline=lot.deadline.strftime(STAMP),
            deadline_iso=lot.deadline.isoformat(),
            refundable=lot.quantity if lot.reducible_at(now) else 0,
            closing_soon=now < lot.deadline <= now + SOON,
        )
        for lot in sorted(subject.lots, key=lambda lot: lot.added_at, reverse=True)
    ]
    has_start = any(lot.reason is not LotReason.ADDITION for lot in subject.lots)
    cancel = cancellation_deadline(subject.lots) if has_start else None
    open_cancel = cancel is not None and now < cancel and subject.status in ("active", "suspended")
    return Ledger(
        subscription_id=subject.id,
        friendly_name=subject.friendly_name,
        quantity=subject.quantity,
        lots=lines,
        refundable=sum(line.refundable for line in lines),
        cancel_until=cancel.strftime(STAMP) if open_cancel and cancel else "",
        cancel_until_iso=cancel.isoformat() if open_cancel and cancel else "",
        term_ends=_term_ends(subject) if has_start else "",
    )
