"""Manage add-ons: the add-ons a subscription's SKU allows, what one would cost, and adding one.

The add-ons offered for a subscription are the catalog's add-on items whose prerequisites
("PRODUCT:SKU" keys) name the subscription's product and SKU, sold in its term and billing
cycle; each comes with its description, its price per seat today (the organization's list, else
the global one, through `pricing.quote`), for brokers Microsoft's cost and the margin
(`BrokerAddonOption`; a customer's `AddonOption` has no such fields), and how many seats of it
the tenant holds already. Adding one is an order of that item in the same tenant through
`ordering.place_order`, naming the subscription it extends: a customer's waits for the broker
when approvals are on, anything else is bought at once (no go-live date) and provisioned like
any order. Partner Center refuses an add-on whose base is not active in the tenant (400041);
ordering says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.catalog import Term
from o365portal.domain.errors import DomainError
from o365portal.domain.terms import term_end
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NotForSale, NotFound
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._input import (
    OrderOutcome,
    cycle_label,
    parse_quantity,
    seats_label,
    term_label,
)
from o365portal.services.ordering._price_words import price_words
from o365portal.services.ordering._rules import extends, quantity_error
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

_GONE = ("failed", "cancelled", "canceled", "expired", "deleted")  # no longer held
_PER = {"monthly": "per month", "annual": "per year"}


@dataclass(frozen=True)
class AddonOption:
    """One add-on the subscription allows, as the dialog lists it (no cost data)."""

    key: str  # the catalog item key the Add button posts
    title: str
    description: str
    catalog_item_id: str
    term: str  # "1 year"
    billing_cycle: str  # "Monthly"
    min_quantity: int
    max_quantity: int
    currency: str
    unit_price: str  # per seat per cycle, "10.00"; "" when no price is in force
    per: str  # "per seat per month"
    price_note: str  # why there is no price, when there is none
    held: str  # "In this tenant: 5 seats"; "" when the tenant holds none
    held_quantity: int


@dataclass(frozen=True)
class BrokerAddonOption(AddonOption):
    """An add-on as broker staff see it: with Microsoft's cost per seat and the margin."""

    unit_cost: str  # "8.00 USD", "not recorded", or "" without a price
    margin: str  # "20.00 %", "—"


@dataclass(frozen=True)
class AddonsView:
    """Everything the Manage add-ons dialog shows for one subscription."""

    subscription_id: int
    friendly_name: str
    options: list[AddonOption]  # a broker's: BrokerAddonOption
    approvals_apply: bool  # a customer's add-on waits for the broker
    note: str  # "" or why nothing is offered


@dataclass(frozen=True)
class AddonPreview:
    """What adding `seats` of an add-on will cost and commit, before it is done (no cost data)."""

    key: str
    title: str
    quantity: int
    seats: str  # "3 seats"
    currency: str
    unit_price: str  # "10.00"
    total: str  # for all the seats, per charge cycle: "30.00"
    summary: str  # "3 seats of Teams Premium for Sales team: 30.00 USD per month."
    commitment: str  # Microsoft's rules: live at once, 7 days to cancel, committed to the term end
    approval: bool  # a customer's request goes to the broker first


def _base(session: Session, actor: Principal, subscription_id: int) -> tuple[Subscription, Tenant]:
    row = session.get(Subscription, subscription_id)
    tenant = session.get(Tenant, row.tenant_id) if row else None
    if row is None or tenant is None or not actor.may_see_organization(tenant.organization_id):
        raise NotFound("subscription")
    return row, tenant


def _addons(session: Session, base: Subscription) -> list[CatalogItem]:
    rows = session.exec(
        select(CatalogItem)
        .where(col(CatalogItem.is_addon).is_(True))
        .where(CatalogItem.billing_cycle == base.billing_cycle)
        .order_by(col(CatalogItem.title))
    ).all()
    return [row for row in rows if extends(row, base)]


def _held(session: Session, tenant_id: int, item: CatalogItem) -> int:
    rows = session.exec(
        select(Subscription.quantity)
        .where(Subscription.tenant_id == tenant_id)
        .where(Subscription.product_id == item.product_id)
        .where(Subscription.sku_id == item.sku_id)
        .where(col(Subscription.status).not_in(_GONE))
    ).all()
    return sum(rows)


def _quote(
    actor: Principal, organization_id: int, ref: CatalogItemRef, quantity: int = 1
) -> pricing.PriceQuoteView | None:
    try:
        return pricing.quote(
            actor=actor,
            organization_id=organization_id,
            item=ref,
            quantity=quantity,
            on=clock.today(),
        )
    except NotForSale:
        return None


def _per(item: CatalogItem) -> str:
    return _PER.get(item.billing_cycle.lower(), "per billing cycle")


def _price(actor: Principal, organization_id: int, ref: CatalogItemRef) -> dict[str, str]:
    """The option's price words: currency and unit price, and a broker's cost and margin."""
    words = {"currency": "", "unit_price": "", "price_note": "No price yet; ask your broker."}
    if actor.is_broker:
        words |= {"unit_cost": "", "margin": ""}
    quote = _quote(actor, organization_id, ref)
    if quote is None:
        return words
    found = {k: v for k, v in price_words(quote).items() if k != "total"}
    return words | found | {"price_note": ""}


def _option(actor: Principal, organization_id: int, item: CatalogItem, held: int) -> AddonOption:
    ref = CatalogItemRef.of(item)
    fields: dict[str, Any] = {
        "key": ref.key,
        "title": item.title,
        "description": item.description or item.title,
        "catalog_item_id": ref.catalog_item_id,
        "term": term_label(item.term),
        "billing_cycle": cycle_label(item.billing_cycle),
        "min_quantity": item.min_quantity,
        "max_quantity": item.max_quantity,
        "per": f"per seat {_per(item)}",
        "held": f"In this tenant: {seats_label(held)}" if held else "",
        "held_quantity": held,
    } | _price(actor, organization_id, ref)
    return BrokerAddonOption(**fields) if actor.is_broker else AddonOption(**fields)


def addon_options(*, actor: Principal, subscription_id: int) -> AddonsView:
    """The add-ons the subscription's SKU allows in its term and billing cycle, each with its
    price per seat today (and, for brokers, cost and margin) and the seats the tenant holds."""
    with session_scope() as session:
        base, tenant = _base(session, actor, subscription_id)
        found = [(item, _held(session, tenant.id or 0, item)) for item in _addons(session, base)]
        approvals = not actor.is_broker and ordering.approvals_required(session)
    options = [_option(actor, tenant.organization_id, item, held) for item, held in found]
    note = "" if options else f"The catalog offers no add-ons for {base.friendly_name}."
    return AddonsView(subscription_id, base.friendly_name, options, approvals, note)


def _chosen(session: Session, base: Subscription, item: str) -> CatalogItem:
    ref = CatalogItemRef.parse(item)
    offered = {CatalogItemRef.of(row): row for row in _addons(session, base)}
    if ref is None or ref not in offered:
        raise InvalidInput({"item": f"Choose one of the add-ons of {base.friendly_name}."})
    return offered[ref]


def _seats(addon: CatalogItem, quantity: int | str) -> int:
    try:
        seats = parse_quantity(quantity)
    except ValueError as error:
        raise InvalidInput({"quantity": str(error)}) from None
    if message := quantity_error(addon, seats):
        raise InvalidInput({"quantity": message})
    return seats


def preview_addon(
    *, actor: Principal, subscription_id: int, item: str, quantity: int | str
) -> AddonPreview:
    """What adding `quantity` seats of the add-on `item` (a catalog key) will cost per charge
    cycle and commit to under Microsoft's rules, before anything is bought."""
    with session_scope() as session:
        base, tenant = _base(session, actor, subscription_id)
        addon = _chosen(session, base, item)
        approval = not actor.is_broker and ordering.approvals_required(session)
    seats = _seats(addon, quantity)
    quote = _quote(actor, tenant.organization_id, CatalogItemRef.of(addon), seats)
    if quote is None:
        raise InvalidInput({"item": "This add-on has no price yet; ask your broker."})
    words = price_words(quote)
    cost = f"{words['total']} {quote.currency} {_per(addon)}"
    return AddonPreview(
        key=CatalogItemRef.of(addon).key,
        title=addon.title,
        quantity=seats,
        seats=seats_label(seats),
        currency=quote.currency,
        unit_price=words["unit_price"],
        total=words["total"],
        summary=f"{seats_label(seats)} of {addon.title} for {base.friendly_name}: {cost}.",
        commitment=_commitment(addon, approval),
        approval=approval,
    )


def _commitment(addon: CatalogItem, approval: bool) -> str:
    try:
        ends = f" (until {term_end(clock.today(), Term.parse(addon.term)).isoformat()})"
    except DomainError:
        ends = ""
    first = "It is live at once"
    if approval:
        first = "Your broker approves it first; then it is live at once"
    return (
        f"{first} and billed by Microsoft from that day for a {term_label(addon.term)} term{ends}. "
        "Seats can be cancelled within 7 days (168 hours) for a refund; after that they stay "
        "committed until the term ends."
    )


async def add_addon(
    *,
    actor: Principal,
    subscription_id: int,
    item: str,
    quantity: int | str,
    pc: PartnerCenterClient | None = None,
) -> OrderOutcome:
    """Order `quantity` seats of the add-on `item` for the subscription's tenant now, or (a
    customer with approvals on) ask the broker; Partner Center's 400041 (no active base in the
    tenant) becomes a PartnerCenterRefused saying so. Nothing is bought on a refusal."""
    with session_scope() as session:
        base, tenant = _base(session, actor, subscription_id)
        _chosen(session, base, item)
    form: dict[str, object] = {
        "item": item,
        "quantity": quantity,
        "base_subscription_id": subscription_id,
    }
    return await ordering.place_order(
        actor=actor, organization_id=tenant.organization_id, form=form, pc=pc
    )
