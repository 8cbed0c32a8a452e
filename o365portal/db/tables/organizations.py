"""Organizations: the broker's customer companies, with address, contact and price list."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from o365portal.db.base import EMAIL_LENGTH, NAME_LENGTH, created_at_field, updated_at_field


class OrganizationBase(SQLModel):
    """An organization's company profile and contact, as entered in the portal."""

    company_name: str = Field(max_length=200, index=True)
    registration_number: str | None = Field(default=None, max_length=50)
    street_address: str = Field(max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str = Field(max_length=NAME_LENGTH)
    country: str = Field(min_length=2, max_length=2)  # ISO 3166-1 alpha-2
    state: str | None = Field(default=None, max_length=NAME_LENGTH)
    contact_first_name: str = Field(max_length=50)
    contact_last_name: str = Field(max_length=50)
    email: str = Field(max_length=EMAIL_LENGTH)
    phone: str | None = Field(default=None, max_length=50)
    language: str = Field(default="en", max_length=10)  # e.g. "en" or "en-US"
    price_list_id: int | None = Field(
        default=None, foreign_key="price_list.id", ondelete="SET NULL", index=True
    )


class Organization(OrganizationBase, table=True):
    """A customer company of the broker."""

    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
