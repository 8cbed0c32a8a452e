"""Everything a billing report rates, read in a fixed number of queries.

The subscriptions Microsoft knows (they have a Partner Center id) of one organization or of
all, with their tenant's organization, their whole recorded history and own sales prices, the
catalog's products (title, add-on or not), and a price book of every price and cost involved.
The number of queries does not grow with the number of subscriptions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import lazyload
from sqlmodel import Session, col, select

from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.billing_periods import CALENDAR_MONTH
from o365portal.domain.rating import SubscriptionEvent
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing._book import PriceBook, load_price_book
from o365portal.services.pricing._store import (
    CatalogItemRef,
    broker_currency,
    number_format,
    start_of,
)
from o365portal.services.subscriptions._events import history_events
from o365portal.services.subscriptions._facts import Product, TableFacts, add_on_parents
from o365portal.services.subscriptions._facts import read_products as read_catalog_products


@dataclass(frozen=True)
class Billed:
    """One subscription as the report rates it."""

    row: Subscription
    item: CatalogItemRef
    organization_id: int
    organization_name: str
    events: tuple[SubscriptionEvent, ...]

    @property
    def id(self) -> int:
        """The portal's id of the subscription."""
        return self.row.id or 0


@dataclass(frozen=True)
class Loaded:
    """The report's input."""

    subscriptions: tuple[Billed, ...]
    changes: dict[int, SubscriptionHistory]  # every history row, by id (the lines' references)
    products: dict[tuple[str, str], Product]
    parents: dict[int, Subscription]  # the subscription each add-on belongs under
    book: PriceBook
    currency: str
    cycle_day: int
    number_format: NumberFormat


def _scoped(query, organization_id: int | None):  # type: ignore[no-untyped-def]
    return (
        query if organization_id is None else query.where(Tenant.organization_id == organization_id)
    )


def cycle_day(session: Session) -> int:
    """The broker's Microsoft billing cycle day (1..31; 31 = calendar months)."""
    row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
    return (row.billing_cycle_day if row is not None else None) or CALENDAR_MONTH


def load(session: Session, organization_id: int | None, started_by: date) -> Loaded:
    """The subscriptions of one organization (None: all) started by `started_by`."""
    found = session.exec(
        _scoped(
            select(Subscription, Organization)
            .options(lazyload(Subscription.seat_lots))  # type: ignore[arg-type]
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
            .join(Organization, col(Organization.id) == col(Tenant.organization_id))
            .where(col(Subscription.pc_subscription_id).is_not(None))
            .where(col(Subscription.started_at) < start_of(_next_day(started_by))),
            organization_id,
        )
    ).all()
    changes = _history(session, organization_id)
    prices = _own_prices(session, organization_id)
    rows = [row for row, _ in found]
    products = read_catalog_products(session, {row.product_id for row in rows})
    book = load_price_book(
        session, product_ids={row.product_id for row in rows}, organization_id=organization_id
    )
    billed = tuple(
        Billed(
            row,
            CatalogItemRef.of(row),
            organization.id or 0,
            organization.company_name,
            tuple(history_events(row, changes.get(row.id or 0, []), prices.get(row.id or 0, []))),
        )
        for row, organization in found
    )
    nf = number_format(session)
    facts = TableFacts(products=products, consumed={}, prices={}, number_format=nf)
    return Loaded(
        subscriptions=billed,
        changes={change.id or 0: change for group in changes.values() for change in group},
        products=products,
        parents=add_on_parents(rows, facts),
        book=book,
        currency=broker_currency(session),
        cycle_day=cycle_day(session),
        number_format=nf,
    )


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _history(session: Session, organization_id: int | None) -> dict[int, list[SubscriptionHistory]]:
    rows = session.exec(
        _scoped(
            select(SubscriptionHistory)
            .join(Subscription, col(Subscription.id) == col(SubscriptionHistory.subscription_id))
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
            .order_by(col(SubscriptionHistory.at), col(SubscriptionHistory.id)),
            organization_id,
        )
    ).all()
    found: dict[int, list[SubscriptionHistory]] = defaultdict(list)
    for row in rows:
        found[row.subscription_id].append(row)
    return found


def _own_prices(
    session: Session, organization_id: int | None
) -> dict[int, list[SubscriptionPrice]]:
    rows = session.exec(
        _scoped(
            select(SubscriptionPrice)
            .join(Subscription, col(Subscription.id) == col(SubscriptionPrice.subscription_id))
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id)),
            organization_id,
        )
    ).all()
    found: dict[int, list[SubscriptionPrice]] = defaultdict(list)
    for row in rows:
        found[row.subscription_id].append(row)
    return found
