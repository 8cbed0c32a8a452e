"""Microsoft 365 users of a tenant and their licence assignments, as last synced.

Partner Center (Entra) is the truth for both; the portal keeps a copy for listing and
filtering, stamped with `synced_at`. Entra assigns licences per SKU (`provisioning_sku_id`);
`subscription_id` records which subscription the portal counts the seat against, if known.
"""

from datetime import datetime

from sqlmodel import Field, Relationship, SQLModel, UniqueConstraint

from o365portal.db.base import GUID_LENGTH, NAME_LENGTH, TITLE_LENGTH, utc_field


class M365UserBase(SQLModel):
    """A tenant user as the UI shows it."""

    tenant_id: int = Field(foreign_key="tenant.id", ondelete="CASCADE")
    pc_user_id: str = Field(max_length=GUID_LENGTH)
    user_principal_name: str = Field(max_length=TITLE_LENGTH, index=True)
    first_name: str | None = Field(default=None, max_length=NAME_LENGTH)
    last_name: str | None = Field(default=None, max_length=NAME_LENGTH)
    display_name: str = Field(max_length=TITLE_LENGTH)
    usage_location: str | None = Field(default=None, max_length=2)  # ISO-2, needed for licences
    state: str = Field(default="active", max_length=20)  # Partner Center's active | inactive


class M365User(M365UserBase, table=True):
    """A cached Microsoft 365 user."""

    __tablename__ = "m365_user"
    __table_args__ = (
        UniqueConstraint("tenant_id", "pc_user_id", name="uq_m365_user_tenant_pc_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    soft_deleted_at: datetime | None = utc_field(nullable=True)  # restorable for 30 days
    synced_at: datetime = utc_field()

    licence_assignments: list["LicenceAssignment"] = Relationship(
        back_populates="user",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"},
    )


class LicenceAssignment(SQLModel, table=True):
    """A user holding a licence of one SKU (a seat of a subscription)."""

    __tablename__ = "licence_assignment"
    __table_args__ = (
        UniqueConstraint(
            "m365_user_id", "provisioning_sku_id", name="uq_licence_assignment_user_sku"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    m365_user_id: int = Field(foreign_key="m365_user.id", ondelete="CASCADE")
    provisioning_sku_id: str = Field(max_length=GUID_LENGTH)  # Entra skuId
    subscription_id: int | None = Field(
        default=None, foreign_key="subscription.id", ondelete="SET NULL", index=True
    )
    assigned_at: datetime = utc_field()

    user: M365User = Relationship(
        back_populates="licence_assignments", sa_relationship_kwargs={"lazy": "raise"}
    )


class SubscribedSku(SQLModel, table=True):
    """Seats of one Entra SKU in a tenant: bought (active), assigned (consumed), free."""

    __tablename__ = "subscribed_sku"
    __table_args__ = (UniqueConstraint("tenant_id", "sku_id", name="uq_subscribed_sku_tenant_sku"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="CASCADE")
    sku_id: str = Field(max_length=GUID_LENGTH)
    sku_part_number: str | None = Field(default=None, max_length=NAME_LENGTH)
    name: str | None = Field(default=None, max_length=TITLE_LENGTH)
    active_units: int = 0
    consumed_units: int = 0
    available_units: int = 0
    suspended_units: int = 0
    warning_units: int = 0
    synced_at: datetime = utc_field()
