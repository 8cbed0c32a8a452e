"""Tenants: an organization's Microsoft 365 tenant, i.e. a Partner Center customer.

Partner Center owns the tenant itself; the portal records which organization it belongs to,
who created or linked it, and when. It also caches whether the customer accepted the Microsoft
Customer Agreement (Partner Center refuses every purchase until it has), with when the portal
last read that from Partner Center.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from o365portal.db.base import (
    EMAIL_LENGTH,
    GUID_LENGTH,
    NAME_LENGTH,
    created_at_field,
    enum_type,
    utc_field,
)
from o365portal.db.enums import TenantStatus


class TenantBase(SQLModel):
    """A tenant as the portal knows it."""

    organization_id: int = Field(foreign_key="organization.id", index=True)
    # = Entra tenant id; None while a new tenant is pending (the row is written before
    # Partner Center is asked, so a retry finds and adopts what an interrupted attempt made).
    customer_id: str | None = Field(default=None, max_length=GUID_LENGTH, unique=True)
    domain: str = Field(max_length=255, unique=True)  # e.g. contoso.onmicrosoft.com
    relationship: str = Field(default="reseller", max_length=30)  # relationshipToPartner
    status: TenantStatus = Field(default=TenantStatus.PENDING, sa_type=enum_type(TenantStatus))


class Tenant(TenantBase, table=True):
    """An organization's link to its Partner Center customer."""

    __tablename__ = "tenant"

    id: int | None = Field(default=None, primary_key=True)
    created_in_pc_at: datetime | None = utc_field(nullable=True)
    created_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    # The Microsoft Customer Agreement as Partner Center last said (mca_checked_at, None =
    # never asked): accepted on mca_accepted_at by the signer named here, or not yet.
    mca_accepted_at: datetime | None = utc_field(nullable=True)
    mca_signer_name: str | None = Field(default=None, max_length=2 * NAME_LENGTH + 1)
    mca_signer_email: str | None = Field(default=None, max_length=EMAIL_LENGTH)
    mca_checked_at: datetime | None = utc_field(nullable=True)
