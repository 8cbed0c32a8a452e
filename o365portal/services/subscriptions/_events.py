"""A subscription's recorded history as the rating engine's events.

The billing report rates these events with `domain.rating` — the engine the cost preview uses
for a change before it is made — so what a dialog showed is what the report bills. History rows
become: the order or import → Purchase on the day the subscription started; a seat change (in
the portal, in Partner Center via sync, or by a drift resolution) → QuantityChange on the day it
was made there; suspend/activate → Suspension/Reactivation; a cancellation → Cancellation;
Microsoft's renewal → Renewal with the renewed seats, term and billing cycle; each of its own
sales prices (Edit sales price) → PriceChange on its first day, from which the next charge
cycles read the price again. Each event's reference is its history row (`history:<id>`) or price
(`price:<id>`), so a billed line names the change behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlmodel import Session, col, select

from o365portal.db.tables.subscriptions import (
    Subscription,
    SubscriptionHistory,
    SubscriptionPrice,
)
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.rating import (
    Cancellation,
    PriceChange,
    Purchase,
    QuantityChange,
    Reactivation,
    Renewal,
    SubscriptionEvent,
    Suspension,
)

_STARTS = ("order", "import")
_STATUS_EVENTS: dict[str, type[Suspension | Reactivation | Cancellation]] = {
    "suspended": Suspension,
    "active": Reactivation,
    "deleted": Cancellation,
}


class HistoryRow(Protocol):
    """What the replay reads of a history row (a `SubscriptionHistory` or a lighter copy)."""

    @property
    def id(self) -> int | None: ...
    @property
    def action(self) -> str: ...
    @property
    def after(self) -> dict[str, Any] | None: ...
    @property
    def at(self) -> datetime: ...


class SubscriptionRow(Protocol):
    """What the replay reads of the subscription itself."""

    @property
    def quantity(self) -> int: ...
    @property
    def term(self) -> str: ...
    @property
    def billing_cycle(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...


class PriceRow(Protocol):
    """What the replay reads of one of the subscription's own sales prices."""

    @property
    def id(self) -> int | None: ...
    @property
    def effective_from(self) -> date: ...


def reference(change: HistoryRow) -> str:
    """The rating reference of the event a history row becomes."""
    return f"history:{change.id}"


def _day(change: HistoryRow, after: dict[str, Any]) -> date:
    """When the change happened: in Partner Center (sync's `changed_at`) or when recorded."""
    changed_at = after.get("changed_at")
    return datetime.fromisoformat(changed_at).date() if changed_at else change.at.date()


class _Replay:
    """Walks the history, keeping the quantity and status the events have reached."""

    def __init__(self, row: SubscriptionRow) -> None:
        self.row = row
        self.term, self.cycle = Term.parse(row.term), BillingCycle.parse(row.billing_cycle)
        self.quantity = 0
        self.status = "active"
        self.events: list[SubscriptionEvent] = []

    def add(self, change: HistoryRow) -> None:
        after, ref = change.after or {}, reference(change)
        if change.action in _STARTS:
            self.quantity = int(after.get("quantity") or self.row.quantity)
            on = self.row.started_at.date()
            self.events.append(Purchase(on, self.quantity, self.term, self.cycle, ref))
            return
        if not self.events:
            return
        if change.action == "renewal":
            self._renewal(after, ref)
            return
        day = _day(change, after)
        if "quantity" in after and int(after["quantity"]) != self.quantity:
            self.quantity = int(after["quantity"])
            self.events.append(QuantityChange(day, self.quantity, ref))
        status = str(after.get("status") or "")
        if status in _STATUS_EVENTS and status != self.status:
            self.status = status
            self.events.append(_STATUS_EVENTS[status](day, ref))

    def _renewal(self, after: dict[str, Any], ref: str) -> None:
        scheduled = after.get("renewal_changes") or {}
        self.term = Term.parse(scheduled.get("term") or self.term.value)
        self.cycle = BillingCycle.parse(scheduled.get("billing_cycle") or self.cycle.value)
        self.quantity = int(after["quantity"])
        renewed = datetime.fromisoformat(after["renewed_at"]).date()
        self.events.append(Renewal(renewed, self.quantity, self.term, self.cycle, ref))


def history_events(
    row: SubscriptionRow, changes: Sequence[HistoryRow], prices: Sequence[PriceRow]
) -> list[SubscriptionEvent]:
    """The events of one subscription's history rows (in the order they were recorded) and
    its own sales prices, in the order they happened."""
    replay = _Replay(row)
    for change in changes:
        replay.add(change)
    started = replay.events[0].on if replay.events else None
    replay.events += [
        PriceChange(price.effective_from, f"price:{price.id}")
        for price in prices
        if started is not None and price.effective_from > started
    ]
    return sorted(replay.events, key=lambda event: event.on)


def rating_events(session: Session, subscription_id: int) -> list[SubscriptionEvent]:
    """The subscription's history as rating events, in the order they happened."""
    row = session.get(Subscription, subscription_id)
    if row is None:
        return []
    changes = session.exec(
        select(SubscriptionHistory)
        .where(SubscriptionHistory.subscription_id == subscription_id)
        .order_by(col(SubscriptionHistory.at), col(SubscriptionHistory.id))
    ).all()
    prices = session.exec(
        select(SubscriptionPrice).where(SubscriptionPrice.subscription_id == subscription_id)
    ).all()
    return history_events(row, changes, prices)
