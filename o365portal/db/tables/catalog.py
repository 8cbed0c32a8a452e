"""The catalog cache: NCE catalog items as last read from Partner Center.

One row is one purchasable combination product : SKU : availability + term + billing cycle.
Partner Center is the truth; `refreshed_at` says how old this copy is.
"""

from datetime import datetime

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from o365portal.db.base import (
    BILLING_CYCLE_LENGTH,
    CATALOG_ID_LENGTH,
    GUID_LENGTH,
    NAME_LENGTH,
    TERM_LENGTH,
    TITLE_LENGTH,
    utc_field,
)


class CatalogItemColumns(SQLModel):
    """The columns that name one catalog item; prices, costs and subscriptions carry them too."""

    product_id: str = Field(max_length=CATALOG_ID_LENGTH)
    sku_id: str = Field(max_length=CATALOG_ID_LENGTH)
    availability_id: str = Field(max_length=CATALOG_ID_LENGTH)
    term: str = Field(max_length=TERM_LENGTH)  # P1M, P1Y, P3Y
    billing_cycle: str = Field(max_length=BILLING_CYCLE_LENGTH)  # monthly, annual, ...


class CatalogItemBase(CatalogItemColumns):
    """What the e-store shows about a catalog item."""

    title: str = Field(max_length=TITLE_LENGTH)
    description: str = Field(default="", sa_type=Text)
    category: str = Field(max_length=NAME_LENGTH, index=True)
    product_group: str = Field(max_length=NAME_LENGTH)
    is_addon: bool = Field(default=False)
    # "PRODUCT:SKU" keys of base offers an add-on needs (SKU dynamicAttributes.prerequisiteSkus).
    prerequisite_skus: list[str] = Field(default_factory=list, sa_type=JSON)
    min_quantity: int = Field(default=1)
    max_quantity: int
    provisioning_sku_id: str | None = Field(default=None, max_length=GUID_LENGTH)  # Entra skuId
    sku_part_number: str | None = Field(default=None, max_length=NAME_LENGTH)


class CatalogItem(CatalogItemBase, table=True):
    """A cached catalog item."""

    __tablename__ = "catalog_item"
    __table_args__ = (
        UniqueConstraint(
            "product_id",
            "sku_id",
            "availability_id",
            "term",
            "billing_cycle",
            name="uq_catalog_item_key",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    refreshed_at: datetime = utc_field()
