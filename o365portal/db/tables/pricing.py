"""Price lists, their effective-dated sales prices, and Microsoft's effective-dated costs.

The portal is the truth for sales prices. An entry applies from `effective_from` until the
next entry for the same catalog item in the same list; resolving which one applies is a
domain rule, not a query here.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from o365portal.db.base import (
    NAME_LENGTH,
    created_at_field,
    currency_field,
    enum_type,
    money_field,
    utc_field,
)
from o365portal.db.enums import PriceListKind
from o365portal.db.tables.catalog import CatalogItemColumns


class PriceList(SQLModel, table=True):
    """The global price list or a customer-specific one, in one currency."""

    __tablename__ = "price_list"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, unique=True)
    kind: PriceListKind = Field(sa_type=enum_type(PriceListKind))
    currency: str = currency_field()
    created_at: datetime = created_at_field()

    entries: list["PriceListEntry"] = Relationship(
        back_populates="price_list",
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all, delete-orphan"},
    )


class PriceListEntry(CatalogItemColumns, table=True):
    """A sales price for one catalog item in one list, from `effective_from` on."""

    __tablename__ = "price_list_entry"
    __table_args__ = (
        UniqueConstraint(
            "price_list_id",
            "product_id",
            "sku_id",
            "availability_id",
            "term",
            "billing_cycle",
            "effective_from",
            name="uq_price_list_entry_item_from",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    price_list_id: int = Field(foreign_key="price_list.id", ondelete="CASCADE", index=True)
    sales_price: Decimal = money_field()
    currency: str = currency_field()  # equals the list's currency
    effective_from: datetime = utc_field()
    entered_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()

    price_list: PriceList = Relationship(
        back_populates="entries", sa_relationship_kwargs={"lazy": "raise"}
    )


class MicrosoftCost(CatalogItemColumns, table=True):
    """What Microsoft charges the broker for one catalog item, from `effective_from` on."""

    __tablename__ = "microsoft_cost"
    __table_args__ = (
        UniqueConstraint(
            "product_id",
            "sku_id",
            "availability_id",
            "term",
            "billing_cycle",
            "currency",
            "effective_from",
            name="uq_microsoft_cost_item_from",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_cost: Decimal = money_field()
    currency: str = currency_field()
    effective_from: datetime = utc_field()
    entered_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
