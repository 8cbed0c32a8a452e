"""What the Subscriptions table adds to an organization's subscriptions, read in five queries
whatever their number: the catalog (product title, Entra SKU, add-on prerequisites), the
tenants' synced SKU counts, and the price of each subscription: its own sales price in force
today (Edit sales price), else the one it was last charged at. Then the two
rules that combine them:

- **Licences in use.** Entra counts assigned licences per SKU (`subscribed_sku`, kept by
  sync), not per subscription. When several of a tenant's subscriptions are of one Entra SKU
  (Business Basic billed monthly and annually, say), the assigned licences fill them in order:
  active before suspended, then oldest first (start, then id), each up to its quantity; any
  beyond all of them count against the last. A SKU the tenant was never synced for is unknown.
- **Add-ons.** An NCE add-on is a subscription of its own. It belongs under the subscription it
  was ordered for in the portal (`base_subscription_id`); one bought elsewhere under a
  subscription of the same tenant whose product:SKU is among the add-on's `prerequisite_skus`
  (when several qualify, the first by name, then id), never under another add-on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.m365_users import SubscribedSku
from o365portal.db.tables.subscriptions import (
    Subscription,
    SubscriptionHistory,
    SubscriptionPrice,
)
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing import _store as price_store

SEATED = ("active", "suspended")  # statuses whose seats Entra counts


@dataclass(frozen=True)
class Product:
    """A catalog product:SKU as the table needs it."""

    title: str
    entra_sku: str | None  # Entra's skuId (the catalog's provisioning id)
    is_addon: bool
    prerequisites: frozenset[str]  # "PRODUCT:SKU" keys of the base offers an add-on needs


@dataclass(frozen=True)
class Charged:
    """The unit price (per seat per charge cycle) a subscription is charged at: its own sales
    price in force, else the one it was last charged at."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class TableFacts:
    """Everything the rows need beyond the subscriptions themselves."""

    products: dict[tuple[str, str], Product]  # by (product id, SKU id)
    consumed: dict[tuple[int, str], int]  # assigned licences by (tenant id, Entra SKU)
    prices: dict[int, Charged]  # by subscription id
    number_format: NumberFormat

    def product(self, product_id: str, sku_id: str) -> Product | None:
        """The catalog's product:SKU, if the catalog cache holds it."""
        return self.products.get((product_id, sku_id))


def read_facts(session: Session, organization_id: int, product_ids: Iterable[str]) -> TableFacts:
    """The catalog rows of `product_ids`, and the organization's SKU counts and prices."""
    return TableFacts(
        products=read_products(session, set(product_ids)),
        consumed=_consumed(session, organization_id),
        prices=_prices(session, organization_id),
        number_format=price_store.number_format(session),
    )


def read_products(session: Session, product_ids: set[str]) -> dict[tuple[str, str], Product]:
    """The catalog's products:SKUs of `product_ids` (one query)."""
    items = session.exec(
        select(CatalogItem)
        .where(col(CatalogItem.product_id).in_(sorted(product_ids)))
        .order_by(col(CatalogItem.refreshed_at).desc(), col(CatalogItem.id))
    ).all()
    found: dict[tuple[str, str], Product] = {}
    for item in items:  # every availability, term and cycle of one SKU says the same
        found.setdefault(
            (item.product_id, item.sku_id),
            Product(
                item.title,
                item.provisioning_sku_id,
                item.is_addon,
                frozenset(item.prerequisite_skus or ()),
            ),
        )
    return found


def _consumed(session: Session, organization_id: int) -> dict[tuple[int, str], int]:
    rows = session.exec(
        select(SubscribedSku.tenant_id, SubscribedSku.sku_id, SubscribedSku.consumed_units)
        .join(Tenant, col(Tenant.id) == col(SubscribedSku.tenant_id))
        .where(Tenant.organization_id == organization_id)
    ).all()
    return {(tenant_id, sku_id.lower()): units for tenant_id, sku_id, units in rows}


def _prices(session: Session, organization_id: int) -> dict[int, Charged]:
    history = SubscriptionHistory
    newest_first = (col(history.at).desc(), col(history.id).desc())
    ranked = (
        select(
            col(history.subscription_id),
            col(history.unit_price),
            col(history.currency),
            func.row_number()
            .over(partition_by=col(history.subscription_id), order_by=newest_first)
            .label("rank"),
        )
        .join(Subscription, col(Subscription.id) == col(history.subscription_id))
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .where(Tenant.organization_id == organization_id)
        .where(col(history.unit_price).is_not(None))
        .subquery()
    )
    rows = session.exec(
        select(ranked.c.subscription_id, ranked.c.unit_price, ranked.c.currency).where(
            ranked.c.rank == 1
        )
    ).all()
    charged = {sub_id: Charged(price, currency or "") for sub_id, price, currency in rows}
    return charged | _own_prices(session, organization_id)


def _own_prices(session: Session, organization_id: int) -> dict[int, Charged]:
    """The broker's own sales price in force today of each subscription that has one (Edit
    sales price): it is what the subscription is charged from its day on."""
    own = SubscriptionPrice
    latest_first = (col(own.effective_from).desc(),)
    ranked = (
        select(
            col(own.subscription_id),
            col(own.unit_price),
            col(own.currency),
            func.row_number()
            .over(partition_by=col(own.subscription_id), order_by=latest_first)
            .label("rank"),
        )
        .join(Subscription, col(Subscription.id) == col(own.subscription_id))
        .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
        .where(Tenant.organization_id == organization_id)
        .where(col(own.effective_from) <= clock.today())
        .subquery()
    )
    rows = session.exec(
        select(ranked.c.subscription_id, ranked.c.unit_price, ranked.c.currency).where(
            ranked.c.rank == 1
        )
    ).all()
    return {sub_id: Charged(price, currency) for sub_id, price, currency in rows}


def licences_in_use(rows: Sequence[Subscription], facts: TableFacts) -> dict[int, int]:
    """Each seated subscription's share of its tenant's assigned licences (the module's rule);
    a subscription missing from the answer has no known count."""
    sharing: dict[tuple[int, str], list[Subscription]] = defaultdict(list)
    for row in rows:
        product = facts.product(row.product_id, row.sku_id)
        if row.status in SEATED and product is not None and product.entra_sku:
            sharing[(row.tenant_id, product.entra_sku.lower())].append(row)
    shares: dict[int, int] = {}
    for key, group in sharing.items():
        if key not in facts.consumed:
            continue  # never synced
        left = facts.consumed[key]
        group.sort(key=lambda r: (r.status != "active", r.started_at, r.id or 0))
        for number, row in enumerate(group, start=1):
            share = left if number == len(group) else min(left, row.quantity)
            shares[row.id or 0], left = share, left - share
    return shares


class Listed(Protocol):
    """What the add-on rule reads of a subscription (a `Subscription` or a lighter copy)."""

    @property
    def id(self) -> int | None: ...
    @property
    def tenant_id(self) -> int: ...
    @property
    def product_id(self) -> str: ...
    @property
    def sku_id(self) -> str: ...
    @property
    def friendly_name(self) -> str: ...
    @property
    def base_subscription_id(self) -> int | None: ...


L = TypeVar("L", bound=Listed)


def add_on_parents(rows: Sequence[L], facts: TableFacts) -> dict[int, L]:
    """The subscription each add-on belongs under, by the add-on's id: the one it was ordered
    for in the portal, else the module's rule (an add-on bought elsewhere)."""
    by_name = sorted(rows, key=lambda r: (r.friendly_name.casefold(), r.id or 0))
    by_id = {row.id: row for row in rows}
    parents: dict[int, L] = {}
    for row in rows:
        product = facts.product(row.product_id, row.sku_id)
        if product is None or not product.is_addon:
            continue
        if row.base_subscription_id in by_id:
            parents[row.id or 0] = by_id[row.base_subscription_id]
            continue
        for candidate in by_name:
            base = facts.product(candidate.product_id, candidate.sku_id)
            key = f"{candidate.product_id}:{candidate.sku_id}"
            if (
                candidate.tenant_id == row.tenant_id
                and candidate.id != row.id
                and not (base is not None and base.is_addon)
                and key in product.prerequisites
            ):
                parents[row.id or 0] = candidate
                break
    return parents
