"""Everything a billing report rates, read in a fixed number of queries.

The subscriptions Microsoft knows (they have a Partner Center id) of one organization or of
all, with their tenant's organization, their whole recorded history and own sales prices, the
catalog's products (title, add-on or not), and a price book of every price and cost involved.
The number of queries does not grow with the number of subscriptions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from o365portal.db.enums import ChangeOrigin
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
class SubscriptionFacts:
    """The columns of a subscription the report reads (cheaper than the ORM row)."""

    id: int | None
    tenant_id: int
    pc_subscription_id: str | None
    friendly_name: str
    po_number: str | None
    product_id: str
    sku_id: str
    availability_id: str
    term: str
    billing_cycle: str
    quantity: int
    started_at: datetime
    base_subscription_id: int | None


@dataclass(frozen=True)
class HistoryFacts:
    """The columns of a history row the report reads."""

    id: int | None
    subscription_id: int
    at: datetime
    action: str
    after: dict[str, Any] | None
    origin: ChangeOrigin


@dataclass(frozen=True)
class PriceFacts:
    """When one of a subscription's own sales prices starts."""

    id: int | None
    subscription_id: int
    effective_from: date


@dataclass(frozen=True)
class Billed:
    """One subscription as the report rates it."""

    row: SubscriptionFacts
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
    changes: dict[int, HistoryFacts]  # every history row, by id (the lines' references)
    products: dict[tuple[str, str], Product]
    parents: dict[int, SubscriptionFacts]  # the subscription each add-on belongs under
    book: PriceBook
    currency: str
    cycle_day: int
    number_format: NumberFormat


Q = TypeVar("Q", bound=Select[Any])
MAX_LISTED = 500  # more subscription ids than this are filtered after reading, not in SQL


def _scoped(query: Q, organization_id: int | None) -> Q:
    """`query` (joined to the tenant) limited to one organization's, or all for None."""
    return (
        query
        if organization_id is None
        else query.where(col(Tenant.organization_id) == organization_id)
    )


def _only(query: Q, only: Collection[int] | None) -> Q:
    """`query` limited to the subscriptions `only` when they are few enough to list in SQL;
    the caller drops the others of a longer list."""
    if only is None or len(only) > MAX_LISTED:
        return query
    return query.where(col(Subscription.id).in_(sorted(only)))


def cycle_day(session: Session) -> int:
    """The broker's Microsoft billing cycle day (1..31; 31 = calendar months)."""
    row = session.get(BrokerSettings, BROKER_SETTINGS_ID)
    return (row.billing_cycle_day if row is not None else None) or CALENDAR_MONTH


@dataclass(frozen=True)
class Listed:
    """The subscriptions a report lists (without their history), for ordering and naming."""

    rows: tuple[tuple[SubscriptionFacts, int, str], ...]  # with organization id and name
    products: dict[tuple[str, str], Product]
    parents: dict[int, SubscriptionFacts]  # the subscription each add-on belongs under


def listed(
    session: Session,
    organization_id: int | None,
    started_by: date,
    only: Collection[int] | None = None,
) -> Listed:
    """The subscriptions of one organization (None: all) started by `started_by` (with
    `only`, just those of these ids), their products and add-ons' parents."""
    found = session.execute(
        _only(
            _scoped(
                select_columns(
                    *_columns(SubscriptionFacts, Subscription),
                    col(Organization.id),
                    col(Organization.company_name),
                )
                .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
                .join(Organization, col(Organization.id) == col(Tenant.organization_id))
                .where(col(Subscription.pc_subscription_id).is_not(None))
                .where(col(Subscription.started_at) < start_of(_next_day(started_by))),
                organization_id,
            ),
            only,
        )
    ).all()
    rows = tuple(
        (SubscriptionFacts(*row[:-2]), row[-2], row[-1])
        for row in found
        if only is None or len(only) <= MAX_LISTED or row[0] in only
    )
    facts = [row for row, _, _ in rows]
    products = read_catalog_products(session, {row.product_id for row in facts})
    table = TableFacts(
        products=products, consumed={}, prices={}, number_format=number_format(session)
    )
    return Listed(rows, products, add_on_parents(facts, table))


def load(
    session: Session,
    organization_id: int | None,
    started_by: date,
    only: Collection[int] | None = None,
) -> Loaded:
    """The subscriptions of one organization (None: all) started by `started_by` with their
    history and prices; with `only`, just those of these ids."""
    found = listed(session, organization_id, started_by, only)
    changes = _history(session, organization_id, only)
    prices = _own_prices(session, organization_id, only)
    book = load_price_book(
        session,
        product_ids={row.product_id for row, _, _ in found.rows},
        organization_id=organization_id,
    )
    billed = tuple(
        Billed(
            row,
            CatalogItemRef(
                row.product_id, row.sku_id, row.availability_id, row.term, row.billing_cycle
            ),
            organization,
            name,
            tuple(history_events(row, changes.get(row.id or 0, []), prices.get(row.id or 0, []))),
        )
        for row, organization, name in found.rows
    )
    return Loaded(
        subscriptions=billed,
        changes={change.id or 0: change for group in changes.values() for change in group},
        products=found.products,
        parents=found.parents,
        book=book,
        currency=broker_currency(session),
        cycle_day=cycle_day(session),
        number_format=number_format(session),
    )


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _columns(facts: type, table: type) -> list[Any]:
    return [col(getattr(table, field.name)) for field in fields(facts)]


def _history(
    session: Session, organization_id: int | None, only: Collection[int] | None
) -> dict[int, list[HistoryFacts]]:
    rows = session.execute(
        _only(
            _scoped(
                select_columns(*_columns(HistoryFacts, SubscriptionHistory))
                .join(
                    Subscription, col(Subscription.id) == col(SubscriptionHistory.subscription_id)
                )
                .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
                .order_by(col(SubscriptionHistory.at), col(SubscriptionHistory.id)),
                organization_id,
            ),
            only,
        )
    ).all()
    found: dict[int, list[HistoryFacts]] = defaultdict(list)
    for row in rows:
        change = HistoryFacts(*row)
        found[change.subscription_id].append(change)
    return found


def _own_prices(
    session: Session, organization_id: int | None, only: Collection[int] | None
) -> dict[int, list[PriceFacts]]:
    rows = session.execute(
        _only(
            _scoped(
                select_columns(*_columns(PriceFacts, SubscriptionPrice))
                .join(Subscription, col(Subscription.id) == col(SubscriptionPrice.subscription_id))
                .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id)),
                organization_id,
            ),
            only,
        )
    ).all()
    found: dict[int, list[PriceFacts]] = defaultdict(list)
    for row in rows:
        price = PriceFacts(*row)
        found[price.subscription_id].append(price)
    return found
