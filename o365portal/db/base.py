"""Shared table plumbing: the metadata naming convention and field helpers for every table.

Importing this module sets a naming convention on `SQLModel.metadata` so every index and
constraint gets a stable, predictable name; Alembic needs names to alter or drop constraints
(SQLite batch mode in particular). All table modules import their helpers from here, so the
convention is in place before the first table is declared.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Enum
from sqlmodel import Field, SQLModel

from o365portal.db.types import Money, UTCDateTime

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

# Lengths used across tables, so the same kind of value has the same size everywhere.
EMAIL_LENGTH = 320  # RFC 5321: 64 local + @ + 255 domain
NAME_LENGTH = 100
TITLE_LENGTH = 255
GUID_LENGTH = 36
CATALOG_ID_LENGTH = 50  # product, SKU and availability ids (e.g. CFQ7TTC0LH18, 0001)
TERM_LENGTH = 10  # ISO-8601 durations P1M, P1Y, P3Y
BILLING_CYCLE_LENGTH = 20  # Partner Center wire values: monthly, annual, triennial, ...
CURRENCY_LENGTH = 3  # ISO 4217


def utc_now() -> datetime:
    """Return the current instant as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def created_at_field(*, index: bool = False) -> Any:
    """A non-null UTC timestamp that defaults to the moment the row is built."""
    return Field(default_factory=utc_now, sa_type=UTCDateTime(), nullable=False, index=index)


def updated_at_field() -> Any:
    """A non-null UTC timestamp set on insert and refreshed on every ORM update."""
    return Field(
        default_factory=utc_now,
        sa_type=UTCDateTime(),
        nullable=False,
        sa_column_kwargs={"onupdate": utc_now},
    )


def utc_field(*, nullable: bool = False, index: bool = False) -> Any:
    """A UTC timestamp the caller sets (required unless `nullable`)."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime(), nullable=True, index=index)
    return Field(sa_type=UTCDateTime(), nullable=False, index=index)


def money_field(*, nullable: bool = False) -> Any:
    """An exact `Decimal` amount (`NUMERIC(18, 4)`); pair it with a currency column."""
    if nullable:
        return Field(default=None, sa_type=Money(), nullable=True)
    return Field(sa_type=Money(), nullable=False)


def currency_field(*, nullable: bool = False) -> Any:
    """An ISO 4217 currency code such as `EUR`."""
    if nullable:
        return Field(default=None, max_length=CURRENCY_LENGTH, nullable=True)
    return Field(max_length=CURRENCY_LENGTH, nullable=False)


def enum_type(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """Store a portal-owned enum as its value in a VARCHAR (no PostgreSQL enum type to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
