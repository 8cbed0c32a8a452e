"""The catalog cache: Partner Center's NCE catalog copied into `catalog_item`, one row per item.

A refresh walks products (targetView OnlineServices, the broker's country) -> SKUs ->
availabilities and stores one row per product : SKU : availability, term and billing cycle.
Everything is read first; only then, in one transaction, are rows added, updated and removed,
so a refresh that fails anywhere leaves the previous cache as it was.

Category and product group: the sandbox sends them as `sandboxAttributes`; real Partner Center
has no such fields, so `derive_grouping()` names them from the product title (see
docs/pricing.md). The sandbox's dated `listPrices` are Microsoft's cost to the broker and are
stored as `microsoft_cost` entries (existing dated entries are never rewritten).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.pricing import MicrosoftCost
from o365portal.domain.errors import DomainError
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import PartnerCenterError
from o365portal.partner_center.models.catalog import Availability, Product, Sku
from o365portal.services import clock
from o365portal.services.errors import NotAllowed, translate
from o365portal.services.partner_center import partner_center
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._store import CatalogItemRef
from o365portal.services.principal import Principal

log = logging.getLogger(__name__)

_CATEGORY_WORDS = (
    ("Teams", "Microsoft Teams"),
    ("Exchange", "Exchange"),
    ("SharePoint", "SharePoint and OneDrive"),
    ("OneDrive", "SharePoint and OneDrive"),
    ("Project", "Project"),
    ("Visio", "Visio"),
    ("Power BI", "Power Platform"),
    ("Power ", "Power Platform"),
    ("Dynamics", "Dynamics 365"),
    ("Windows", "Windows"),
    ("Intune", "Security and management"),
    ("Defender", "Security and management"),
    ("Entra", "Security and management"),
    ("Microsoft 365", "Microsoft 365"),
    ("Office 365", "Microsoft 365"),
)
_GROUP_WORDS = (
    ("Business", "Business"),
    (" E", "Enterprise"),
    (" F", "Frontline"),
    ("Education", "Education"),
    (" A", "Education"),
)


@dataclass(frozen=True)
class CatalogRefreshResult:
    """What a refresh found: items cached, items dropped, cost entries added."""

    items: int
    removed: int
    costs_added: int


@dataclass
class _Fetched:
    items: dict[CatalogItemRef, CatalogItem] = field(default_factory=dict)
    costs: list[MicrosoftCost] = field(default_factory=list)


def derive_grouping(title: str, *, is_addon: bool) -> tuple[str, str]:
    """Category and product group named from a title, for catalogs without sandboxAttributes.

    The category is the first service family the title names ("Exchange Online (Plan 1)" ->
    Exchange; Microsoft/Office 365 suites -> Microsoft 365; else "Other"); the group is
    Add-ons for add-ons, else Business / Enterprise (E plans) / Frontline (F plans) /
    Education (A plans) by the plan name, else "Standalone".
    """
    category = next((name for word, name in _CATEGORY_WORDS if word in title), "Other")
    if is_addon:
        return category, "Add-ons"
    padded = f" {title}"
    group = next(
        (name for word, name in _GROUP_WORDS if _names_plan(padded, word)),
        "Standalone",
    )
    return category, group


def _names_plan(title: str, word: str) -> bool:
    if not word.startswith(" ") or len(word) != 2:
        return word in title
    index = title.find(word)
    return index >= 0 and title[index + 2 : index + 3].isdigit()


def _sandbox(resource: Any) -> dict[str, Any]:
    extra = resource.model_extra or {}
    attributes = extra.get("sandboxAttributes")
    return attributes if isinstance(attributes, dict) else {}


def _grouping(product: Product, sku: Sku) -> tuple[str, str]:
    attributes = _sandbox(sku) or _sandbox(product)
    if attributes.get("category") and attributes.get("productGroup"):
        return str(attributes["category"]), str(attributes["productGroup"])
    return derive_grouping(product.title or sku.title or product.id, is_addon=sku.is_addon)


def _prerequisites(sku: Sku) -> list[str]:
    value = sku.dynamic_attributes.get("prerequisiteSkus") or []
    return [str(entry) for entry in value] if isinstance(value, list) else []


def _item(product: Product, sku: Sku, availability: Availability, term: Any) -> CatalogItem:
    category, group = _grouping(product, sku)
    title = sku.title or product.title or product.id  # the SKU's title is the specific one
    return CatalogItem(
        product_id=product.id,
        sku_id=sku.id,
        availability_id=availability.id,
        term=str(term.duration).upper(),
        billing_cycle=str(term.billing_cycle).lower(),
        title=title[:255],
        description=sku.description or product.description or "",
        category=category,
        product_group=group,
        is_addon=sku.is_addon,
        prerequisite_skus=_prerequisites(sku),
        min_quantity=sku.minimum_quantity or 1,
        max_quantity=sku.maximum_quantity or 300,
        provisioning_sku_id=sku.provisioning_id,
        sku_part_number=_sandbox(sku).get("skuPartNumber"),
        refreshed_at=clock.now(),
    )


def _list_prices(item: CatalogItem, term: Any) -> list[MicrosoftCost]:
    prices = _sandbox(term).get("listPrices") or []
    return [
        MicrosoftCost(
            **CatalogItemRef.of(item).__dict__,
            unit_cost=Decimal(str(price["unitPrice"])),
            currency=str(price["currency"]).upper(),
            effective_from=price_store.start_of(date.fromisoformat(price["effectiveDate"][:10])),
        )
        for price in prices
    ]


def _sellable(ref: CatalogItemRef) -> bool:
    """Only terms and cycles the pricing rules know (P1M/P1Y/P3Y; monthly/annual/triennial)."""
    try:
        ref.rules_item  # noqa: B018 - parsing is the check
    except DomainError:
        log.info("catalog: skipped %s (term or billing cycle not sold by the portal)", ref.key)
        return False
    return True


async def _fetch_sku(
    pc: PartnerCenterClient, product: Product, sku: Sku, country: str, into: _Fetched
) -> None:
    for availability in await pc.catalog.availabilities(product.id, sku.id, country):
        for term in availability.terms:
            if not term.duration or not term.billing_cycle:
                continue
            item = _item(product, sku, availability, term)
            if not _sellable(CatalogItemRef.of(item)):
                continue
            into.items[CatalogItemRef.of(item)] = item
            into.costs.extend(_list_prices(item, term))


async def _fetch_product(
    pc: PartnerCenterClient, product: Product, country: str, into: _Fetched
) -> None:
    for sku in await pc.catalog.skus(product.id, country):
        await _fetch_sku(pc, product, sku, country, into)


async def _fetch(pc: PartnerCenterClient, country: str) -> _Fetched:
    fetched = _Fetched()
    products = await pc.catalog.products(country)
    await asyncio.gather(*(_fetch_product(pc, p, country, fetched) for p in products))
    return fetched


def _store_items(session: Session, fetched: _Fetched) -> int:
    existing = {CatalogItemRef.of(row): row for row in session.exec(select(CatalogItem)).all()}
    for ref, item in fetched.items.items():
        row = existing.pop(ref, None) or CatalogItem(**ref.__dict__, max_quantity=1)
        for name, value in item.model_dump(exclude={"id"}).items():
            setattr(row, name, value)
        session.add(row)
    for stale in existing.values():
        session.delete(stale)
    return len(existing)


def _store_costs(session: Session, costs: list[MicrosoftCost]) -> int:
    known = {
        (CatalogItemRef.of(row), row.currency, row.effective_from)
        for row in session.exec(select(MicrosoftCost)).all()
    }
    added = 0
    for cost in costs:
        key = (CatalogItemRef.of(cost), cost.currency, cost.effective_from)
        if key not in known:
            known.add(key)
            session.add(cost)
            added += 1
    return added


async def _read() -> _Fetched:
    try:
        async with partner_center() as pc:
            return await _fetch(pc, get_settings().broker_country)
    except PartnerCenterError as error:
        log.warning("catalog refresh failed: %s", error)
        raise translate(
            error, action="the catalog request", unchanged="the catalog was not changed"
        ) from error


async def _refresh() -> CatalogRefreshResult:
    fetched = await _read()
    with session_scope() as session:
        removed = _store_items(session, fetched)
        added = _store_costs(session, fetched.costs)
    price_store.announce_prices()
    log.info("catalog refreshed: %d items, %d removed", len(fetched.items), removed)
    return CatalogRefreshResult(len(fetched.items), removed, added)


async def refresh_catalog(*, actor: Principal) -> CatalogRefreshResult:
    """Re-read the NCE catalog from Partner Center (brokers only); all or nothing."""
    if not actor.is_broker:
        raise NotAllowed()
    return await _refresh()


async def refresh_catalog_at_startup() -> CatalogRefreshResult:
    """The start-up refresh of the embedded default, run by the system (no acting user)."""
    return await _refresh()
