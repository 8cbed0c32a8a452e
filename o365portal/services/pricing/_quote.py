"""Live prices: what an organization pays for a quantity of a catalog item on a day.

`quote()` is the one entry point the ordering screens use. The sales price comes from, first
match wins, the subscription's own price in force that day (its effective-dated
`subscription_price` rows, the broker's historic prices), the organization's price list, the
global price list (`domain.pricing.resolve_sales_price`); the total for the quantity
follows the sales rounding policy (truncated once, as Microsoft rounds). Brokers get a
`BrokerPriceQuoteView` that adds Microsoft's cost and the margin %; customers get a
`PriceQuoteView`, which has no such fields at all. No price in force raises `NotForSale` —
never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import PriceList
from o365portal.db.tables.subscriptions import Subscription, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.domain import pricing as rules
from o365portal.domain.errors import DomainError
from o365portal.domain.money import SALES_ROUNDING, Money
from o365portal.services.errors import InvalidInput, NotForSale, NotFound
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

__all__ = [
    "BrokerPriceQuoteView",
    "CatalogItemRef",
    "PriceQuoteView",
    "list_sales_price",
    "quote",
    "subscription_prices",
    "tenant_sales_price",
]

_SOURCES = {
    rules.PriceSource.SUBSCRIPTION: "subscription",
    rules.PriceSource.CUSTOMER_LIST: "customer",
    rules.PriceSource.GLOBAL_LIST: "global",
}


@dataclass(frozen=True)
class PriceQuoteView:
    """The price of `quantity` seats of `item` for an organization on a day (no cost data)."""

    item: CatalogItemRef
    quantity: int
    currency: str
    unit_price: Decimal
    total: Decimal
    source: str  # "subscription" | "customer" | "global"
    since: date


@dataclass(frozen=True)
class BrokerPriceQuoteView(PriceQuoteView):
    """A quote as broker staff see it: with Microsoft's cost and the margin (None if unknown)."""

    unit_cost: Decimal | None
    margin_percent: Decimal | None


def subscription_prices(session: Session, subscription_id: int) -> list[rules.SubscriptionPrice]:
    """A subscription's own effective-dated sales prices (the broker's historic prices)."""
    rows = session.exec(
        select(SubscriptionPrice).where(SubscriptionPrice.subscription_id == subscription_id)
    ).all()
    return [
        rules.SubscriptionPrice(Money(row.unit_price, row.currency), row.effective_from)
        for row in rows
    ]


def tenant_sales_price(
    session: Session, tenant_id: int, item: CatalogItemRef, on: date
) -> Money | None:
    """The unit sales price of `item` for the tenant's organization on `on` (its own list, then
    the global one), or None when no list prices it (e.g. a subscription bought elsewhere)."""
    tenant = session.get(Tenant, tenant_id)
    found = list_sales_price(session, tenant.organization_id, item, on) if tenant else None
    return found.price if found is not None else None


def list_sales_price(
    session: Session, organization_id: int, item: CatalogItemRef, on: date
) -> rules.PriceQuote | None:
    """What the price lists (the organization's, then the global one) charge for `item` on
    `on`, ignoring any subscription's own price; None when no list prices it."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        return None
    try:
        return _resolve(session, organization, item, on, None)
    except (NotForSale, DomainError):
        return None


def _organization(session: Session, actor: Principal, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None or not actor.may_see_organization(organization_id):
        raise NotFound("organization")
    return organization


def _subscription_of(session: Session, organization_id: int, subscription_id: int) -> None:
    owner = session.exec(
        select(Tenant.organization_id)
        .join(Subscription, col(Subscription.tenant_id) == col(Tenant.id))
        .where(Subscription.id == subscription_id)
    ).first()
    if owner != organization_id:
        raise NotFound("subscription")


def _resolve(
    session: Session, organization: Organization, item: CatalogItemRef, on: date, sub_id: int | None
) -> rules.PriceQuote:
    customer = (
        session.get(PriceList, organization.price_list_id) if organization.price_list_id else None
    )
    answer = rules.resolve_sales_price(
        item.rules_item,
        on,
        subscription_prices=subscription_prices(session, sub_id) if sub_id else (),
        customer_list=price_store.sales_list(session, customer, [item]) if customer else None,
        global_list=price_store.sales_list(session, price_store.global_list(session), [item]),
    )
    if isinstance(answer, rules.NotForSale):
        raise NotForSale(answer.reason)
    return answer


def _broker_view(
    session: Session, view: PriceQuoteView, item: CatalogItemRef, on: date
) -> BrokerPriceQuoteView:
    costs = price_store.cost_list(session, [item], view.currency)
    found = rules.cost(item.rules_item, on, cost_list=costs)
    if isinstance(found, rules.NotForSale):
        return BrokerPriceQuoteView(**vars(view), unit_cost=None, margin_percent=None)
    margin = rules.margin_percent(Money(view.unit_price, view.currency), found.price)
    return BrokerPriceQuoteView(**vars(view), unit_cost=found.price.amount, margin_percent=margin)


def quote(
    *,
    actor: Principal,
    organization_id: int,
    item: CatalogItemRef,
    quantity: int,
    on: date,
    subscription_id: int | None = None,
) -> PriceQuoteView:
    """The live price of `quantity` seats of `item` for the organization on `on`.

    `subscription_id` (an existing subscription of the organization) lets its own price in
    force on `on` win. Raises NotForSale when no list has a price in force, NotFound for an
    organization the actor may not see, InvalidInput for a quantity below one.
    """
    if quantity < 1:
        raise InvalidInput({"quantity": "Enter a quantity of at least 1."})
    with session_scope() as session:
        organization = _organization(session, actor, organization_id)
        if subscription_id is not None:
            _subscription_of(session, organization_id, subscription_id)
        try:
            found = _resolve(session, organization, item, on, subscription_id)
        except DomainError as error:
            raise NotForSale(str(error)) from None
        total = SALES_ROUNDING.line_amount(found.price, quantity)
        view = PriceQuoteView(
            item, quantity, found.price.currency, found.price.amount, total.amount,
            _SOURCES[found.source], found.since,
        )  # fmt: skip
        return _broker_view(session, view, item, on) if actor.is_broker else view
