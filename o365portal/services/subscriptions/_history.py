"""A subscription's history in words: who, when, what changed from what to what, and its money.

Every recorded change is one line: an order or import, a seat change, a cancellation, a
suspension or activation, renewal settings, a renewal, a change made in Partner Center (sync), a
drift alert resolved, a new sales price, an add-on ordered for it. "By" is the portal account,
"Partner Center" (with who did it there, when the audit log says), or the scheduled-order job;
the line shows each field's value before and after, and what the change billed when it was made
(its money effect).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.subscriptions import SubscriptionHistory
from o365portal.services.ordering._input import cycle_label, seats_label, term_label
from o365portal.services.principal import Principal
from o365portal.services.subscriptions._subject import load_subject

_ACTIONS = {
    "order": "Order",
    "import": "Imported from Partner Center",
    "quantity": "Seats changed",
    "cancel": "Cancelled",
    "suspend": "Suspended",
    "activate": "Activated",
    "renewal_settings": "Renewal settings",
    "renewal": "Renewed by Microsoft",
    "sync": "Changed in Partner Center",
    "drift": "Drift resolved",
    "price": "Sales price",
    "addon": "Add-on ordered",
}
_FIELDS = {
    "quantity": "Seats",
    "status": "Status",
    "friendly_name": "Name",
    "auto_renew": "Auto-renew",
    "renewal_changes": "At renewal",
    "term_end": "Term end",
    "price": "Price",
    "addon": "Add-on",
    "addon_seats": "Seats",
    "po_number": "PO",
    "order_id": "Partner Center order",
}


@dataclass(frozen=True)
class HistoryLine:
    """One change in a subscription's history, in words."""

    at: str  # to the minute, UTC: "2026-11-30 08:36 UTC"
    action: str  # "Order", "Seats changed", ...
    by: str
    unit_price: str  # "7.50 USD"; "" when the change recorded no price
    details: str  # "Seats 3 → 5 · Note: ..."
    effect: str  # "7.50 USD charged now"; "" when it billed nothing at once


def _value(field: str, value: Any) -> str:
    if field == "auto_renew":
        return "on" if value else "off"
    if field == "renewal_changes":
        if not value:
            return "no changes"
        parts = [
            seats_label(int(value["quantity"])) if value.get("quantity") else "",
            term_label(str(value["term"])) if value.get("term") else "",
            cycle_label(str(value["billing_cycle"])).lower() if value.get("billing_cycle") else "",
        ]
        return ", ".join(part for part in parts if part)
    return str(value)


def _details(change: SubscriptionHistory) -> str:
    before, after = change.before or {}, change.after or {}
    words = []
    for field, word in _FIELDS.items():
        if field not in after or (after[field] in (None, "") and field != "renewal_changes"):
            continue
        now = _value(field, after[field])
        words.append(
            f"{word} {_value(field, before[field])} → {now}" if field in before else f"{word} {now}"
        )
    if after.get("changed_by"):
        words.append(f"by {after['changed_by']} in Partner Center")
    if after.get("note"):
        words.append(f"Note: {after['note']}")
    if after.get("reason") and str(after["reason"]) not in str(after.get("note") or ""):
        words.append(f"Why: {after['reason']}")
    return " · ".join(words)


def _by(change: SubscriptionHistory, names: dict[int | None, str]) -> str:
    by = names.get(change.actor_account_id, "")
    if change.origin == ChangeOrigin.SYSTEM:
        return f"Scheduled order ({by})" if by else "Scheduled order"
    if change.origin == ChangeOrigin.PARTNER_CENTER:
        return "Partner Center"
    return by


def _price(change: SubscriptionHistory) -> str:
    if change.unit_price is None:
        return ""
    return f"{change.unit_price:.2f} {change.currency or ''}".strip()


def subscription_history(*, actor: Principal, subscription_id: int) -> list[HistoryLine]:
    """A subscription's recorded changes, newest first."""
    with session_scope() as session:
        load_subject(session, actor, subscription_id, changing=False)
        changes = session.exec(
            select(SubscriptionHistory)
            .where(SubscriptionHistory.subscription_id == subscription_id)
            .order_by(col(SubscriptionHistory.at).desc(), col(SubscriptionHistory.id).desc())
        ).all()
        ids = {change.actor_account_id for change in changes if change.actor_account_id}
        names = {
            account.id: f"{account.first_name} {account.last_name}".strip()
            for account in session.exec(
                select(PortalAccount).where(col(PortalAccount.id).in_(ids))
            ).all()
        }
        return [
            HistoryLine(
                at=change.at.strftime("%Y-%m-%d %H:%M UTC"),
                action=_ACTIONS.get(change.action, change.action.replace("_", " ").capitalize()),
                by=_by(change, names),
                unit_price=_price(change),
                details=_details(change),
                effect=str((change.after or {}).get("effect") or ""),
            )
            for change in changes
        ]
