"""Sales prices and Microsoft's costs of many subscriptions, read in a fixed number of queries.

The rating engine asks a price for every charge cycle (`domain.rating.PriceOn`: a day, a term
and a billing cycle). A `PriceBook` answers those questions from memory: it loads once the
catalog rows (to find the item sold with another term or billing cycle after a renewal), the
entries of the global and the customers' price lists, Microsoft's costs and the subscriptions'
own sales prices of the products asked, then resolves each price with the domain's rules (the
subscription's own price, else the customer's list, else the global list). The cost preview
and the billing report both read prices here, so both charge the same price on the same day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from sqlmodel import Session, col, select

from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import MicrosoftCost, PriceList, PriceListEntry
from o365portal.db.tables.subscriptions import Subscription, SubscriptionPrice
from o365portal.db.tables.tenants import Tenant
from o365portal.domain import pricing as rules
from o365portal.domain.catalog import BillingCycle, CatalogItemKey, Term
from o365portal.domain.errors import DomainError
from o365portal.domain.money import Money
from o365portal.domain.rating import PriceOn
from o365portal.services.errors import NotForSale
from o365portal.services.pricing._store import CatalogItemRef, global_list

_Variant = tuple[str, str, str, str]  # product, SKU, term, billing cycle
K = TypeVar("K")


@dataclass
class PriceBook:
    """Everything needed to price the subscriptions of one organization (or all) in memory."""

    variants: dict[_Variant, CatalogItemRef]
    list_names: dict[int, str]
    global_list_id: int
    customer_lists: dict[int, int | None]  # organization id -> its price list id
    entries: dict[tuple[int, CatalogItemRef], list[rules.PriceEntry]]
    costs: dict[tuple[str, CatalogItemRef], list[rules.PriceEntry]]
    own_prices: dict[int, list[rules.SubscriptionPrice]]
    _lists: dict[tuple[str, object, CatalogItemRef], rules.PriceList] = field(default_factory=dict)
    _quotes: dict[tuple[object, ...], rules.PriceQuote] = field(default_factory=dict)

    def item_for(self, item: CatalogItemRef, term: Term, cycle: BillingCycle) -> CatalogItemRef:
        """The catalog item of `item`'s product and SKU sold with `term` and `cycle`."""
        return variant_of(self.variants, item, term, cycle)

    def _list(self, kind: str, key: object, item: CatalogItemRef) -> rules.PriceList:
        cached = self._lists.get((kind, key, item))
        if cached is None:
            if kind == "cost":
                name, rows = "Microsoft cost", self.costs.get((str(key), item), [])
            else:
                list_id = int(str(key))
                name, rows = self.list_names[list_id], self.entries.get((list_id, item), [])
            cached = self._lists[(kind, key, item)] = rules.PriceList.of(name, rows)
        return cached

    def sales_quote(
        self, organization_id: int, subscription_id: int | None, item: CatalogItemRef, on: date
    ) -> rules.PriceQuote:
        """The sales price of `item` on `on` with where it came from; NotForSale if none."""
        key = (organization_id, subscription_id, item, on)
        found = self._quotes.get(key)
        if found is None:
            found = self._quotes[key] = self._sales_quote(
                organization_id, subscription_id, item, on
            )
        return found

    def _sales_quote(
        self, organization_id: int, subscription_id: int | None, item: CatalogItemRef, on: date
    ) -> rules.PriceQuote:
        customer = self.customer_lists.get(organization_id)
        try:
            answer = rules.resolve_sales_price(
                _rules_item(item),
                on,
                subscription_prices=self.own_prices.get(subscription_id or 0, ()),
                customer_list=self._list("sales", customer, item) if customer else None,
                global_list=self._list("sales", self.global_list_id, item),
            )
        except DomainError as error:
            raise NotForSale(str(error)) from None
        if isinstance(answer, rules.NotForSale):
            raise NotForSale(answer.reason)
        return answer

    def cost_quote(self, item: CatalogItemRef, on: date, currency: str) -> rules.PriceQuote:
        """Microsoft's price of `item` to the broker on `on`; NotForSale when unknown."""
        key = ("cost", currency, item, on)
        cached = self._quotes.get(key)
        if cached is not None:
            return cached
        found = rules.cost(_rules_item(item), on, cost_list=self._list("cost", currency, item))
        if isinstance(found, rules.NotForSale):
            raise NotForSale(found.reason)
        self._quotes[key] = found
        return found

    def sales_on(
        self, organization_id: int, subscription_id: int | None, item: CatalogItemRef
    ) -> PriceOn:
        """The subscription's sales price per seat per cycle on a day, as the engine asks it."""
        asked: dict[tuple[date, Term, BillingCycle], Money] = {}

        def price_on(day: date, term: Term, cycle: BillingCycle) -> Money:
            found = asked.get((day, term, cycle))
            if found is None:
                ref = self.item_for(item, term, cycle)
                found = self.sales_quote(organization_id, subscription_id, ref, day).price
                asked[(day, term, cycle)] = found
            return found

        return price_on

    def cost_on(self, item: CatalogItemRef, currency: str) -> PriceOn:
        """Microsoft's price per seat per cycle to the broker on a day, as the engine asks it."""
        asked: dict[tuple[date, Term, BillingCycle], Money] = {}

        def price_on(day: date, term: Term, cycle: BillingCycle) -> Money:
            found = asked.get((day, term, cycle))
            if found is None:
                found = self.cost_quote(self.item_for(item, term, cycle), day, currency).price
                asked[(day, term, cycle)] = found
            return found

        return price_on


def load_price_book(
    session: Session, *, product_ids: Collection[str], organization_id: int | None
) -> PriceBook:
    """The prices of `product_ids` for one organization's subscriptions (None: every
    organization's), in six queries whatever the number of subscriptions."""
    products = sorted(set(product_ids))
    standard = global_list(session)
    organizations = select(Organization.id, Organization.price_list_id)
    if organization_id is not None:
        organizations = organizations.where(Organization.id == organization_id)
    customer_lists = dict(session.exec(organizations).all())
    list_ids = {standard.id or 0, *(i for i in customer_lists.values() if i)}
    names = session.exec(
        select(PriceList.id, PriceList.name).where(col(PriceList.id).in_(list_ids))
    ).all()
    return PriceBook(
        variants=catalog_variants(session, products),
        list_names={list_id or 0: name for list_id, name in names},
        global_list_id=standard.id or 0,
        customer_lists={org or 0: list_id for org, list_id in customer_lists.items()},
        entries=_entries(session, products, list_ids),
        costs=_costs(session, products),
        own_prices=_own_prices(session, organization_id),
    )


@lru_cache(maxsize=4096)  # parsed once per item, not for every price a report reads
def _rules_item(item: CatalogItemRef) -> CatalogItemKey:
    return item.rules_item


def variant_of(
    variants: dict[_Variant, CatalogItemRef], item: CatalogItemRef, term: Term, cycle: BillingCycle
) -> CatalogItemRef:
    """The catalog item of `item`'s product and SKU sold with `term` and `cycle` (NotForSale
    when the catalog sells it otherwise only)."""
    if (term.value, cycle.value) == (item.term, item.billing_cycle):
        return item
    found = variants.get((item.product_id, item.sku_id, term.value, cycle.value))
    if found is None:
        raise NotForSale(f"{item.product_id}:{item.sku_id} is not sold {term} {cycle}.")
    return found


def catalog_variants(session: Session, products: list[str]) -> dict[_Variant, CatalogItemRef]:
    """Each catalog item of `products` by (product, SKU, term, billing cycle)."""
    rows = session.exec(
        select(CatalogItem)
        .where(col(CatalogItem.product_id).in_(products))
        .order_by(col(CatalogItem.id))
    ).all()
    found: dict[_Variant, CatalogItemRef] = {}
    for row in rows:
        found.setdefault((row.product_id, row.sku_id, row.term, row.billing_cycle), _ref(row))
    return found


def _ref(row: CatalogItem | PriceListEntry | MicrosoftCost) -> CatalogItemRef:
    return CatalogItemRef.of(row)


def _entry(ref: CatalogItemRef, amount: Money, start: date) -> rules.PriceEntry | None:
    try:
        return rules.PriceEntry(ref.rules_item, amount, start)
    except DomainError:
        return None  # a term or cycle the portal does not sell: never asked for


def _entries(
    session: Session, products: list[str], list_ids: set[int]
) -> dict[tuple[int, CatalogItemRef], list[rules.PriceEntry]]:
    rows = session.exec(
        select(PriceListEntry)
        .where(col(PriceListEntry.product_id).in_(products))
        .where(col(PriceListEntry.price_list_id).in_(list_ids))
    ).all()
    return _grouped((row.price_list_id, row, row.sales_price) for row in rows)


def _costs(
    session: Session, products: list[str]
) -> dict[tuple[str, CatalogItemRef], list[rules.PriceEntry]]:
    rows = session.exec(
        select(MicrosoftCost).where(col(MicrosoftCost.product_id).in_(products))
    ).all()
    return _grouped((row.currency, row, row.unit_cost) for row in rows)


def _grouped(
    rows: Iterable[tuple[K, PriceListEntry | MicrosoftCost, Decimal]],
) -> dict[tuple[K, CatalogItemRef], list[rules.PriceEntry]]:
    """Each row's price as a domain entry, grouped by (the given key, its item)."""
    found: dict[tuple[K, CatalogItemRef], list[rules.PriceEntry]] = defaultdict(list)
    for key, row, amount in rows:
        ref = _ref(row)
        entry = _entry(ref, Money(amount, row.currency), row.effective_from.date())
        if entry is not None:
            found[(key, ref)].append(entry)
    return found


def _own_prices(
    session: Session, organization_id: int | None
) -> dict[int, list[rules.SubscriptionPrice]]:
    query = select(SubscriptionPrice)
    if organization_id is not None:
        query = (
            query.join(Subscription, col(Subscription.id) == col(SubscriptionPrice.subscription_id))
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
            .where(Tenant.organization_id == organization_id)
        )
    found: dict[int, list[rules.SubscriptionPrice]] = defaultdict(list)
    for row in session.exec(query).all():
        price = rules.SubscriptionPrice(Money(row.unit_price, row.currency), row.effective_from)
        found[row.subscription_id].append(price)
    return found
