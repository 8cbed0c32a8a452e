"""An organization's subscription list: subscriptions, scheduled orders and pending requests.

One call gives the Subscriptions page everything it shows, as typed rows with every word
written: each subscription with its product and offer id, seats bought, in use (from the
licences sync keeps) and free, the price it was last charged per seat and per charge cycle,
term, billing cycle, renewal (price-lock end) date, auto-renew and whether Partner Center
has changes scheduled for the renewal; or status `Provisioning` and no date while Microsoft
provisions a new order. Add-ons come right after the subscription they belong under
(`_facts.py` says which). Each scheduled order shows its go-live date and no price; each
request waiting for the broker or rejected lately its broker's comment. No row carries a cost
or a margin for a customer; a broker's request rows add them (ordering/_approval_views.py).
The number of queries does not grow with the number of subscriptions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import lazyload
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.services.errors import NotFound
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _scheduling as scheduling
from o365portal.services.ordering._approval_views import RequestView
from o365portal.services.ordering._input import cycle_label, seats_label, term_label
from o365portal.services.principal import Principal
from o365portal.services.subscriptions import _words as words
from o365portal.services.subscriptions._facts import (
    TableFacts,
    add_on_parents,
    licences_in_use,
    read_facts,
)


@dataclass(frozen=True)
class SubscriptionRow:
    """A subscription or a scheduled order as a line of the Subscriptions page."""

    id: int  # of the subscription, or of the scheduled order
    kind: str  # "subscription" | "scheduled"
    friendly_name: str
    product: str  # the catalog's title: "Microsoft 365 Business Basic"; "" when not cached
    offer_id: str  # the catalog item id: "CFQ7TTC0LH18:0001:CFQ7TTC0K971"
    po_number: str
    quantity: str  # seats purchased: "10"
    seats: str  # "1 seat", "10 seats"
    consumed: str  # licences assigned in Entra: "7"; "—" when unknown (never synced)
    free: str  # seats bought and not assigned: "3"; "—" when unknown
    usage: str  # "7 assigned · 3 free", "— assigned · — free"; "" for scheduled orders
    status: str  # Active, Provisioning (while Microsoft provisions it), Scheduled, Failed, ...
    term: str  # "1 year"
    billing_cycle: str  # "Monthly"
    date: str  # the renewal (price-lock end) or go-live day, YYYY-MM-DD; "" when none
    when: str  # that day in words: "Renews 2027-11-30", "Goes live 2026-12-03"; ""
    auto_renew: bool  # False for scheduled orders
    auto_renew_words: str  # "Auto-renew on", "Auto-renew off"; "" for scheduled orders
    renews_with_changes: bool  # Partner Center holds next-term instructions
    renewal_changes: str  # "At renewal: 5 seats · Annual billing"; "" when none
    price: str  # per seat per cycle: "7.50 USD"; "" when none is recorded (scheduled orders)
    price_per_seat: str  # "7.50 USD / seat / month"; ""
    price_per_cycle: str  # per seat x quantity for one charge cycle: "75.00 USD / month"; ""
    parent_id: int  # the subscription an add-on belongs under; 0 for none
    parent_name: str  # that subscription's friendly name; ""
    last_error: str  # why a scheduled order failed


@dataclass(frozen=True)
class SubscriptionList:
    """Everything on the Subscriptions page."""

    subscriptions: list[SubscriptionRow]  # by name, each add-on right after its parent
    scheduled: list[SubscriptionRow]
    requests: list[RequestView]  # a broker's: BrokerRequestView, with cost and margin


def _subscription_row(
    row: Subscription, facts: TableFacts, in_use: dict[int, int], parent: Subscription | None
) -> SubscriptionRow:
    sub_id = row.id or 0
    renews = row.term_end_at.date().isoformat() if row.term_end_at else ""
    product = facts.product(row.product_id, row.sku_id)
    consumed, free, usage = words.usage_words(in_use.get(sub_id), row.quantity)
    price, per_seat, per_cycle = words.price_words(
        facts.prices.get(sub_id), row.quantity, row.billing_cycle, facts.number_format
    )
    changes = words.renewal_changes(
        row.renewal_changes,
        quantity=row.quantity,
        product_sku=(row.product_id, row.sku_id),
        term=row.term,
        billing_cycle=row.billing_cycle,
        facts=facts,
    )
    return SubscriptionRow(
        id=sub_id,
        kind="subscription",
        friendly_name=row.friendly_name,
        product=product.title if product else "",
        offer_id=f"{row.product_id}:{row.sku_id}:{row.availability_id}",
        po_number=row.po_number or "",
        quantity=str(row.quantity),
        seats=seats_label(row.quantity),
        consumed=consumed,
        free=free,
        usage=usage,
        status=row.status.capitalize(),  # Provisioning while Microsoft provisions it
        term=term_label(row.term),
        billing_cycle=cycle_label(row.billing_cycle),
        date=renews,
        when=f"Renews {renews}" if renews else "",
        auto_renew=row.auto_renew,
        auto_renew_words="Auto-renew on" if row.auto_renew else "Auto-renew off",
        renews_with_changes=bool(changes),
        renewal_changes=changes,
        price=price,
        price_per_seat=per_seat,
        price_per_cycle=per_cycle,
        parent_id=(parent.id or 0) if parent else 0,
        parent_name=parent.friendly_name if parent else "",
        last_error=row.last_error or "",
    )


def _scheduled_row(line: scheduling.ScheduledLine, facts: TableFacts) -> SubscriptionRow:
    go_live = line.go_live_date.isoformat()
    product = facts.product(*line.offer_id.split(":")[:2])
    return SubscriptionRow(
        id=line.id,
        kind="scheduled",
        friendly_name=line.friendly_name,
        product=product.title if product else "",
        offer_id=line.offer_id,
        po_number=line.po_number,
        quantity=str(line.quantity),
        seats=seats_label(line.quantity),
        consumed=words.UNKNOWN,
        free=words.UNKNOWN,
        usage="",
        status="Failed" if line.status == "failed" else "Scheduled",
        term=term_label(line.term),
        billing_cycle=cycle_label(line.billing_cycle),
        date=go_live,
        when=f"Goes live {go_live}",
        auto_renew=False,
        auto_renew_words="",
        renews_with_changes=False,
        renewal_changes="",
        price="",
        price_per_seat="",
        price_per_cycle="",
        parent_id=0,
        parent_name="",
        last_error=line.last_error,
    )


def _grouped(rows: list[Subscription], parents: dict[int, Subscription]) -> list[Subscription]:
    """By name (then id), each add-on right after the subscription it belongs under."""
    ordered = sorted(rows, key=lambda r: (r.friendly_name.casefold(), r.id or 0))
    under: dict[int, list[Subscription]] = {}
    for row in ordered:
        if (parent := parents.get(row.id or 0)) is not None:
            under.setdefault(parent.id or 0, []).append(row)
    top = [row for row in ordered if (row.id or 0) not in parents]
    return [each for row in top for each in (row, *under.get(row.id or 0, []))]


def _next_products(rows: list[Subscription]) -> set[str]:
    scheduled = (row.renewal_changes or {} for row in rows)
    return {str(next_term["product_id"]) for next_term in scheduled if next_term.get("product_id")}


def list_subscriptions(*, actor: Principal, organization_id: int) -> SubscriptionList:
    """The organization's subscriptions, scheduled orders, and pending or rejected requests."""
    if not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    scheduled = scheduling.scheduled_lines(actor=actor, organization_id=organization_id)
    with session_scope() as session:
        rows = list(
            session.exec(
                select(Subscription)
                .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
                .where(Tenant.organization_id == organization_id)
                .options(lazyload("*"))  # not the seat lots: the table shows none
            ).all()
        )
        product_ids = {row.product_id for row in rows} | _next_products(rows)
        product_ids |= {line.offer_id.split(":")[0] for line in scheduled}
        facts = read_facts(session, organization_id, product_ids)
    in_use, parents = licences_in_use(rows, facts), add_on_parents(rows, facts)
    subscriptions = [
        _subscription_row(row, facts, in_use, parents.get(row.id or 0))
        for row in _grouped(rows, parents)
    ]
    requests = approvals.recent_requests(actor=actor, organization_id=organization_id)
    return SubscriptionList(
        subscriptions, [_scheduled_row(line, facts) for line in scheduled], requests
    )
