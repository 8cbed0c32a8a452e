"""Renewal settings: auto-renew and the changes Microsoft applies at the renewal, previewed.

The settings can change until the term's last day (Microsoft renews the next day). With
auto-renew on, the next term's seats, term and billing cycle become Partner Center's
`scheduledNextTermInstructions`; the preview rates the renewal's first cycle with the same engine
as every other change (`_preview.py`). A mid-term seat change, a suspension or auto-renew off
wipe the scheduled changes, as Microsoft does; the dialog says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.errors import DomainError
from o365portal.domain.money import SALES_ROUNDING
from o365portal.domain.rating import Renewal
from o365portal.services import clock
from o365portal.services.errors import InvalidInput
from o365portal.services.ordering._input import cycle_label, term_label
from o365portal.services.pricing import _store as price_store
from o365portal.services.principal import Principal
from o365portal.services.subscriptions import _preview as rating
from o365portal.services.subscriptions._previews import (
    ChangePreview,
    as_preview,
    base_fields,
    rated,
    renews_on,
    stamp,
)
from o365portal.services.subscriptions._subject import Subject, load_subject


@dataclass(frozen=True)
class RenewalInput:
    """Renewal settings: auto-renew, and the quantity, term and billing cycle of the next term
    (None: unchanged)."""

    auto_renew: bool
    quantity: int | None = None
    term: str | None = None
    billing_cycle: str | None = None


def renewal_deadline(subject: Subject) -> datetime:
    """The last moment renewal settings can change: Microsoft renews at the term end."""
    ends = subject.term_end or date.fromisoformat(renews_on(subject))
    return datetime(ends.year, ends.month, ends.day, 23, 59, tzinfo=clock.now().tzinfo)


def renewal_values(subject: Subject, wanted: RenewalInput) -> tuple[int, Term, BillingCycle]:
    errors: dict[str, str] = {}
    quantity, term, cycle = subject.quantity, subject.term, subject.billing_cycle
    try:
        term = Term.parse(wanted.term) if wanted.term else term
    except DomainError:
        errors["term"] = "Choose a term this product is sold with."
    try:
        cycle = BillingCycle.parse(wanted.billing_cycle) if wanted.billing_cycle else cycle
    except DomainError:
        errors["billing_cycle"] = "Choose a billing cycle this product is sold with."
    if wanted.quantity is not None:
        quantity = wanted.quantity
    if not errors and cycle.months > term.months:
        errors["billing_cycle"] = f"A {term_label(term.value)} term cannot be billed {cycle}."
    if errors:
        raise InvalidInput(errors)
    return quantity, term, cycle


def preview_renewal(
    *, actor: Principal, subscription_id: int, wanted: RenewalInput
) -> ChangePreview:
    """What the subscription will cost per cycle after its renewal with `wanted`."""
    now = clock.now()
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
        quantity, term, cycle = renewal_values(subject, wanted)
        renews = date.fromisoformat(renews_on(subject))
        deadline = renewal_deadline(subject)
        base = base_fields(session, subject, "renewal", f"Renewal of {subject.friendly_name}") | {
            "notes": [
                f"These settings can be changed until {stamp(deadline)}.",
                "A change of the seat count during the term removes the changes scheduled for "
                "the renewal (Microsoft's rule).",
            ],
        }
        if subject.status != "active":
            refusal = "Activate the subscription before changing its renewal."
            return as_preview(actor, base | _no_renewal(refusal))
        if now >= deadline:
            return as_preview(actor, base | _no_renewal("The renewal is being processed."))
        if not wanted.auto_renew:
            ends = subject.term_end or renews
            return as_preview(
                actor,
                base
                | {
                    "allowed": True,
                    "refusal": "",
                    "per_cycle_after": f"Nothing after {ends}: the subscription ends then.",
                    "undo": f"You can turn auto-renew on again until {stamp(deadline)}.",
                },
            )
        renewal = Renewal(renews, quantity, term, cycle, rating.PREVIEW)
        money = rated(session, actor, subject, renewal)
        price_on = rating.sales_price_on(session, subject)
        after = rating.per_cycle_words(
            SALES_ROUNDING.line_amount(price_on(renews, term, cycle), quantity),
            cycle,
            quantity,
            price_store.number_format(session),
        )
    words = f"{term_label(term.value)}, billed {cycle_label(cycle.value).lower()}"
    return as_preview(
        actor,
        base
        | {
            "allowed": True,
            "refusal": "",
            "per_cycle_after": f"{after} ({words}) from {renews}",
            "undo": f"You can change or remove these settings until {stamp(deadline)}.",
        },
        money | {"now": f"Nothing is charged now; the renewal on {renews} bills the first cycle."},
    )


def _no_renewal(refusal: str) -> dict[str, Any]:
    return {"allowed": False, "refusal": refusal, "per_cycle_after": "", "undo": ""}


@dataclass(frozen=True)
class Choice:
    """One option of a select: the value posted and the words shown."""

    value: str
    label: str


@dataclass(frozen=True)
class RenewalSettings:
    """The renewal settings form as it stands: auto-renew and what the next term will be."""

    subscription_id: int
    friendly_name: str
    auto_renew: bool
    quantity: str
    term: str
    billing_cycle: str
    terms: list[Choice]  # the terms this product is sold with
    cycles: list[Choice]  # the billing cycles it is sold with
    deadline: str  # until when they can change


def renewal_settings(*, actor: Principal, subscription_id: int) -> RenewalSettings:
    """The subscription's renewal settings (the scheduled changes, else today's values)."""
    with session_scope() as session:
        subject = load_subject(session, actor, subscription_id)
        sold = session.exec(
            select(CatalogItem.term, CatalogItem.billing_cycle)
            .where(CatalogItem.product_id == subject.item.product_id)
            .where(CatalogItem.sku_id == subject.item.sku_id)
        ).all()
    scheduled = subject.renewal_changes or {}
    terms = sorted({term for term, _ in sold}, key=lambda t: Term.parse(t).months)
    cycles = sorted({cycle for _, cycle in sold}, key=lambda c: BillingCycle.parse(c).months)
    return RenewalSettings(
        subscription_id=subject.id,
        friendly_name=subject.friendly_name,
        auto_renew=subject.auto_renew,
        quantity=str(scheduled.get("quantity") or subject.quantity),
        term=str(scheduled.get("term") or subject.item.term),
        billing_cycle=str(scheduled.get("billing_cycle") or subject.item.billing_cycle),
        terms=[Choice(term, term_label(term)) for term in terms],
        cycles=[Choice(cycle, cycle_label(cycle)) for cycle in cycles],
        deadline=stamp(renewal_deadline(subject)),
    )
