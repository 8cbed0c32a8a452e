"""Previews of the changes to a subscription: what each will bill, and whether it can be undone.

Each `preview_*` answers before anything is done: the lines the change bills now (the rating
engine's, `_preview.py`), the cost per cycle before and after, until when it can be undone, and
why it is refused when NCE's rules forbid it now: seats may be removed only from lots still inside
their 168 hours (otherwise the lower quantity can be scheduled for the renewal), a subscription
may be cancelled within 168 hours of its purchase or renewal, a suspended one keeps being billed
to the term end. Brokers get a `BrokerChangePreview` with Microsoft's amount and the margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.domain.errors import (
    CancellationWindowClosed,
    SeatReductionNotAllowed,
)
from o365portal.domain.money import Money
from o365portal.domain.nce import (
    CANCELLATION_WINDOW,
    check_cancellation,
    plan_reduction,
)
from o365portal.domain.nce import SeatLot as DomainLot
from o365portal.domain.rating import Cancellation, QuantityChange, SubscriptionEvent
from o365portal.domain.terms import renewal_date
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NotAllowed, NotForSale
from o365portal.services.number_format import NumberFormat
from o365portal.services.ordering._input import seats_label
from o365portal.services.pricing import _store as price_store
from o365portal.services.principal import Principal
from o365portal.services.subscriptions import _asking as asking
from o365portal.services.subscriptions import _preview as rating
from o365portal.services.subscriptions._preview import ChargeLine, money_words
from o365portal.services.subscriptions._subject import Subject, load_subject

STAMP = "%Y-%m-%d %H:%M UTC"


@dataclass(frozen=True)
class ChangePreview:
    """What an action will do, bill and allow afterwards, before it is done (no cost data)."""

    action: str  # quantity | cancel | suspend | activate | renewal
    subscription_id: int
    title: str  # "Change the quantity of Sales team"
    allowed: bool
    refusal: str  # why it cannot be done now ("" when allowed)
    lines: list[ChargeLine]
    now: str  # "12.10 USD charged now" | "Nothing is charged or refunded now."
    per_cycle_before: str  # "75.00 USD per month for 10 seats"
    per_cycle_after: str
    undo: str  # whether and until when it can be undone
    notes: list[str] = field(default_factory=list)
    schedule_offer: bool = False  # a refused reduction can be scheduled for the renewal
    renews_on: str = ""  # the day the next term starts
    term_ends: str = ""  # the current term's last day
    quantity: int = 0  # the seat count a quantity change previews
    approval: bool = False  # the actor's change will wait for the broker's approval


@dataclass(frozen=True)
class BrokerChangePreview(ChangePreview):
    """A preview as broker staff see it: Microsoft's amount now and the margin on it."""

    now_cost: str = ""
    now_margin: str = ""


def parse_quantity(text: str | int, field_name: str = "quantity") -> int:
    """A whole number of seats of at least 1, or InvalidInput saying what to type."""
    words = str(text).strip()
    if not (words.isascii() and words.isdigit()) or int(words) < 1:
        raise InvalidInput({field_name: "Enter a whole number of seats, at least 1."})
    return int(words)


def stamp(moment: datetime) -> str:
    """An instant to the minute, UTC: "2026-12-07 13:41 UTC"."""
    return moment.strftime(STAMP)


# --------------------------------------------------------------------------------- previews


def rated(
    session: Session, actor: Principal, subject: Subject, change: SubscriptionEvent
) -> dict[str, Any]:
    """The preview's money fields for `change`: lines, now, and a broker's cost and margin."""
    sales = rating.rate_change(subject, change, rating.sales_price_on(session, subject), sales=True)
    nf = price_store.number_format(session)
    words: dict[str, Any] = {"now": _now_words(sales.amount, nf)}
    if not actor.is_broker:
        return words | {"lines": rating.line_words(sales.lines, None, nf)}
    try:
        cost_on = rating.cost_price_on(session, subject, sales.amount.currency)
        cost = rating.rate_change(subject, change, cost_on, sales=False)
    except NotForSale:
        return words | {
            "lines": rating.line_words(sales.lines, (), nf),
            "now_cost": "not recorded",
            "now_margin": "—",
        }
    return words | {
        "lines": rating.line_words(sales.lines, cost.lines, nf),
        "now_cost": money_words(cost.amount, nf),
        "now_margin": money_words(sales.amount - cost.amount, nf),
    }


def _now_words(amount: Money, nf: NumberFormat) -> str:
    if amount.is_zero():
        return "Nothing is charged or refunded now."
    size = money_words(Money(abs(amount.amount), amount.currency), nf)
    return f"{size} {rating.signed(amount.amount)} now"


def per_cycle(session: Session, subject: Subject, quantity: int) -> str:
    """What `quantity` seats cost per charge cycle, in words."""
    price_on = rating.sales_price_on(session, subject)
    money = rating.cycle_price(subject, price_on, clock.today(), quantity)
    return rating.per_cycle_words(
        money, subject.billing_cycle, quantity, price_store.number_format(session)
    )


def as_preview(
    actor: Principal, base: dict[str, Any], money: dict[str, Any] | None = None
) -> ChangePreview:
    """The preview for `actor`: a broker's with Microsoft's amount and the margin."""
    money = money or {"lines": [], "now": "Nothing is charged or refunded now."}
    base = base | {
        "approval": base["action"] not in ("suspend", "activate") and asking.needs_approval(actor)
    }
    if actor.is_broker:
        extra = {"now_cost": "", "now_margin": ""} | money
        return BrokerChangePreview(**base, **extra)
    money = {k: v for k, v in money.items() if k not in ("now_cost", "now_margin")}
    return ChangePreview(**base, **money)


def term_ends(subject: Subject) -> str:
    """The current term's last day, YYYY-MM-DD."""
    ends = subject.term_end or date.fromisoformat(renews_on(subject)) - timedelta(days=1)
    return ends.isoformat()


def renews_on(subject: Subject) -> str:
    """The day Microsoft renews the subscription (the day after the term ends)."""
    return renewal_date(subject.term_start, subject.term).isoformat()


def base_fields(session: Session, subject: Subject, action: str, title: str) -> dict[str, Any]:
    """The fields every preview of `subject` has: what, which, today's cost and its dates."""
    return {
        "action": action,
        "subscription_id": subject.id,
        "title": title,
        "per_cycle_before": per_cycle(session, subject, subject.quantity),
        "renews_on": renews_on(subject),
        "term_ends": term_ends(subject),
    }


def _closed_lots(lots: tuple[DomainLot, ...], now: datetime) -> list[str]:
    return [
        f"{seats_label(lot.quantity)} bought {stamp(lot.added_at)} could be removed until "
        f"{stamp(lot.deadline)}."
        for lot in lots
        if not lot.reducible_at(now)
    ]


def _scheduled_note(subject: Subject) -> list[str]:
    if not subject.renewal_changes:
        return []
    return [
        "This change removes the changes scheduled for the renewal (Microsoft's rule); set "
        "them again afterwards if you still want them."
    ]


def preview_quantity(
    *, actor: Principal, subscription_id: int, quantity: str | int
) -> ChangePreview:
    """What changing the seat count to `quantity` bills now and per cycle, and until when it can
    be undone; a reduction past every lot's window is refused with the lots' deadlines and the
    offer to schedule it for the renewal."""
    wanted = parse_quantity(quantity)
    now = clock.now()
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
        title = f"Change the quantity of {subject.friendly_name}"
        base = base_fields(session, subject, "quantity", title) | {
            "per_cycle_after": per_cycle(session, subject, wanted),
            "quantity": wanted,
            "notes": _scheduled_note(subject),
        }
        refusal = _quantity_refusal(subject, wanted, now)
        if refusal:
            return as_preview(
                actor,
                base
                | {
                    "allowed": False,
                    "refusal": refusal,
                    "undo": "",
                    "schedule_offer": wanted < subject.quantity and subject.status == "active",
                    "notes": _closed_lots(subject.lots, now) + base["notes"],
                },
            )
        change = QuantityChange(now.date(), wanted, rating.PREVIEW)
        money = rated(session, actor, subject, change)
    if wanted > subject.quantity:
        added = wanted - subject.quantity
        undo = (
            f"Until {stamp(now + CANCELLATION_WINDOW)} the {seats_label(added)} added can be "
            "removed again; after that, only at the renewal."
        )
    else:
        undo = "Removed seats cannot be taken back; adding seats again is a new purchase."
    return as_preview(actor, base | {"allowed": True, "refusal": "", "undo": undo}, money)


def _quantity_refusal(subject: Subject, wanted: int, now: datetime) -> str:
    if subject.status != "active":
        return "The seat count of a suspended subscription cannot change; activate it first."
    if wanted == subject.quantity:
        return f"The subscription already has {seats_label(wanted)}."
    if wanted > subject.quantity:
        return ""
    try:
        plan_reduction(subject.lots, subject.quantity - wanted, now, renews_on=date.min)
    except SeatReductionNotAllowed as refused:
        can = refused.reducible
        return (
            f"Only {seats_label(can)} can be removed now (seats can be removed within 7 days "
            f"of being added); {seats_label(subject.quantity - wanted)} were asked."
            if can
            else "No seats can be removed now: every seat is past its 7-day window."
        )
    except ValueError:
        return "To remove every seat, cancel the subscription."
    return ""


def preview_cancel(*, actor: Principal, subscription_id: int) -> ChangePreview:
    """The refund a cancellation now would bring, or why it is no longer possible."""
    now = clock.now()
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
        base = base_fields(session, subject, "cancel", f"Cancel {subject.friendly_name}") | {
            "per_cycle_after": "Nothing: the subscription ends now.",
            "undo": "A cancellation cannot be undone; buying again is a new subscription.",
        }
        try:
            check_cancellation(subject.lots, now)
        except CancellationWindowClosed as closed:
            refusal = (
                f"Cancellation was possible until {stamp(closed.closed_at)} (7 days after the "
                "purchase or renewal). Turn auto-renew off so it ends at the term end "
                f"({term_ends(subject)})."
            )
            return as_preview(actor, base | {"allowed": False, "refusal": refusal})
        money = rated(session, actor, subject, Cancellation(now.date(), rating.PREVIEW))
    return as_preview(actor, base | {"allowed": True, "refusal": ""}, money)


def preview_status(*, actor: Principal, subscription_id: int, status: str) -> ChangePreview:
    """Suspend (NCE keeps billing to the term end) or activate; brokers only."""
    if status not in ("suspended", "active"):
        raise InvalidInput({"status": "Choose suspend or activate."})
    _require_broker(actor)
    suspend = status == "suspended"
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
        title = f"{'Suspend' if suspend else 'Activate'} {subject.friendly_name}"
        base = base_fields(session, subject, "suspend" if suspend else "activate", title)
    refusal = "" if subject.status != status else f"{subject.friendly_name} is already {status}."
    notes = (
        [
            "NCE keeps billing a suspended subscription until its term ends "
            f"({term_ends(subject)}): suspending stops the service, not the charges.",
            "Auto-renew is turned off; the changes scheduled for the renewal are removed.",
        ]
        if suspend
        else ["Auto-renew stays off; turn it on in the renewal settings if wanted."]
    )
    base |= {
        "allowed": not refusal,
        "refusal": refusal,
        "per_cycle_after": base["per_cycle_before"],
        "undo": "You can activate it again at any time before the term ends."
        if suspend
        else "You can suspend it again.",
        "notes": notes,
    }
    return as_preview(actor, base)


def _require_broker(actor: Principal) -> None:
    if not actor.is_broker:
        raise NotAllowed("Only your broker can suspend or activate a subscription.")
