"""The portal's own user directory: portal accounts and their sign-in sessions.

E-mail addresses are unique regardless of case (a unique index on `lower(email)`), so
`Ann@example.com` and `ann@example.com` can never be two accounts.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, func
from sqlmodel import Field, Relationship, SQLModel

from o365portal.db.base import (
    EMAIL_LENGTH,
    NAME_LENGTH,
    created_at_field,
    enum_type,
    updated_at_field,
    utc_field,
)
from o365portal.db.enums import Role


class PortalAccountBase(SQLModel):
    """Who someone is in the portal; never holds the password hash."""

    email: str = Field(max_length=EMAIL_LENGTH)
    first_name: str = Field(max_length=NAME_LENGTH)
    last_name: str = Field(max_length=NAME_LENGTH)
    role: Role = Field(sa_type=enum_type(Role))
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    is_active: bool = Field(default=True)


class PortalAccount(PortalAccountBase, table=True):
    """A portal account with its argon2 password hash and sign-in throttling state."""

    __tablename__ = "portal_account"
    __table_args__ = (
        CheckConstraint(
            "(role = 'broker' AND organization_id IS NULL)"
            " OR (role = 'customer' AND organization_id IS NOT NULL)",
            name="role_organization",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    failed_sign_in_count: int = Field(default=0)
    locked_until: datetime | None = utc_field(nullable=True)
    last_sign_in_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()

    sessions: list["PortalSession"] = Relationship(
        back_populates="account",
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all, delete-orphan"},
    )


Index(
    "uq_portal_account_email_lower",
    func.lower(PortalAccount.__table__.c.email),  # type: ignore[attr-defined]
    unique=True,
)


class PortalSession(SQLModel, table=True):
    """A signed-in browser session; only a hash of its token is stored."""

    __tablename__ = "portal_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=128, unique=True)
    account_id: int = Field(foreign_key="portal_account.id", ondelete="CASCADE", index=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field()
    revoked_at: datetime | None = utc_field(nullable=True)

    account: PortalAccount = Relationship(
        back_populates="sessions", sa_relationship_kwargs={"lazy": "joined"}
    )


class SignInFailure(SQLModel, table=True):
    """A refused sign-in from one network address: too many in a while pause that address
    (an attacker trying many accounts from one place; docs/security.md)."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_address_at", "address", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=64)
    at: datetime = utc_field()
