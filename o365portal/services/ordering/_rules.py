"""The rules an order's fields must meet, each with the message the person sees at the field.

Shared by the live checks of the add-subscription form (as a field is typed or picked) and by
`services.ordering.prepare_order`, so the form and the order never disagree: a quantity within
the catalog item's minimum and maximum (Microsoft's), and a go-live date from today (placed at
once) up to one year ahead. An add-on is bought for one subscription of the same tenant that it
extends (its catalog prerequisites name that subscription's product and SKU) and in its term;
Partner Center then checks that the tenant holds an active base (its error 400041).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.subscriptions import Subscription
from o365portal.services import clock
from o365portal.services.errors import InvalidInput
from o365portal.services.pricing._store import CatalogItemRef


def catalog_row(session: Session, ref: CatalogItemRef) -> CatalogItem | None:
    """The catalog cache row a form's product key names (the cycle in any case), if any."""
    return session.exec(
        select(CatalogItem).where(
            CatalogItem.product_id == ref.product_id,
            CatalogItem.sku_id == ref.sku_id,
            CatalogItem.availability_id == ref.availability_id,
            CatalogItem.term == ref.term,
            func.lower(CatalogItem.billing_cycle) == ref.billing_cycle.lower(),
        )
    ).first()


def quantity_error(row: CatalogItem, quantity: int) -> str | None:
    """Why `quantity` seats of the item can't be ordered (Microsoft's min/max), or None."""
    if quantity < row.min_quantity:
        seats = "seat" if row.min_quantity == 1 else "seats"
        return f"Enter at least {row.min_quantity} {seats}."
    if quantity > row.max_quantity:
        return f"At most {row.max_quantity} seats of this product can be ordered at once."
    return None


def extends(addon: CatalogItem, base: Subscription) -> bool:
    """Whether the add-on may be added to the subscription: its prerequisites name the
    subscription's product and SKU, and it is sold in the subscription's term."""
    return f"{base.product_id}:{base.sku_id}" in addon.prerequisite_skus and (
        addon.term == base.term
    )


def addon_error(
    session: Session, tenant_id: int, row: CatalogItem, base_id: int | None
) -> tuple[str, str | None]:
    """(base subscription's name, why the item can't be bought with `base_id` or None)."""
    if base_id is None:
        if row.is_addon:
            return "", "Add-ons are added to the subscription they extend: use its Manage add-ons."
        return "", None
    base = session.get(Subscription, base_id)
    if base is None or base.tenant_id != tenant_id:
        return "", "The subscription this add-on is for was not found."
    if not row.is_addon:
        return base.friendly_name, "Only an add-on can be added to a subscription."
    if not extends(row, base):
        return base.friendly_name, (
            f"{row.title} is not an add-on of {base.friendly_name}; choose one of its add-ons."
        )
    return base.friendly_name, None


def latest_go_live_date(today: date) -> date:
    """The last day an order may be scheduled for: one year after `today` (28 Feb for 29 Feb)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def go_live_error(go_live: date | None, today: date) -> str | None:
    """Why a go-live date is refused, or None: today (placed at once) up to one year ahead."""
    if go_live is None:
        return None
    if go_live < today:
        return "Choose today or a later date."
    latest = latest_go_live_date(today)
    if go_live > latest:
        return (
            f"Choose a date by {latest.isoformat()}: orders can be scheduled at most one year "
            "ahead, since Microsoft's offers and prices further out are not known yet."
        )
    return None


def check_go_live_date(*, value: str) -> None:
    """The form's go-live date as picked: InvalidInput at `go_live_date` when refused."""
    try:
        day = date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        raise InvalidInput({"go_live_date": "Enter a date such as 2030-01-31."}) from None
    if message := go_live_error(day, clock.today()):
        raise InvalidInput({"go_live_date": message})
