"""The add-subscription form: its fields, the catalog choices it offers, and what it validated.

A product is named in the form by its catalog item key (`CatalogItemRef.key`), never by a
cache row id, so a stored order (approval, scheduled order) survives a catalog refresh.
Rules that need the database (cycle allowed, quantity range, price in force) are checked in
`services.ordering`; this module owns the shapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from sqlmodel import Session

from o365portal.db.tables.catalog import CatalogItem
from o365portal.services.pricing._quote import PriceQuoteView
from o365portal.services.pricing._store import CatalogItemRef

# Work done in the transaction that stores an order (or a scheduled order), given the message
# the order's outcome will carry: an approval's decision, so that a crash keeps both or neither.
InTransaction = Callable[[Session, str], None]
_CYCLE_WORDS = {"monthly": "Monthly", "annual": "Annual", "triennial": "Triennial"}
_TERM_WORDS = {"P1M": "1 month", "P1Y": "1 year", "P3Y": "3 years"}
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*[.,][0-9]+")


def cycle_label(cycle: str) -> str:
    """A billing cycle as a word on screen."""
    return _CYCLE_WORDS.get(cycle.lower(), cycle)


def term_label(term: str) -> str:
    """A term as words on screen."""
    return _TERM_WORDS.get(term.upper(), term)


def parse_quantity(value: object) -> int:
    """A number of seats as typed: a whole number, else a message saying what is wrong."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text:
        raise ValueError("Enter a quantity.")
    if _WHOLE.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        raise ValueError("Whole seats only: enter a number without decimals, such as 2.")
    raise ValueError("Enter the number of seats as digits, such as 5.")


class OrderInput(BaseModel):
    """The fields of the add-subscription form as posted (strings)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    item: str
    quantity: int
    friendly_name: str = ""
    po_number: str = ""
    go_live_date: date | None = None
    # An add-on names the subscription it extends (Manage add-ons); a base product names none.
    base_subscription_id: int | None = None

    @field_validator("item")
    @classmethod
    def _item(cls, value: str) -> str:
        ref = CatalogItemRef.parse(value)
        if ref is None:
            raise ValueError("Choose a product.")
        return ref.key

    @field_validator("quantity", mode="before")
    @classmethod
    def _quantity(cls, value: object) -> object:
        return parse_quantity(value)

    @field_validator("friendly_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > 255:
            raise ValueError("This is too long (at most 255 characters).")
        return value

    @field_validator("po_number")
    @classmethod
    def _po(cls, value: str) -> str:
        if len(value) > 100:
            raise ValueError("This is too long (at most 100 characters).")
        return value

    @field_validator("go_live_date", "base_subscription_id", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        return None if value in ("", None) else value

    @property
    def ref(self) -> CatalogItemRef:
        """The catalog item ordered."""
        ref = CatalogItemRef.parse(self.item)
        assert ref is not None  # checked by the validator
        return ref

    def as_payload(self) -> dict[str, Any]:
        """The validated input as JSON, to run again later (approval, scheduled order)."""
        data = self.model_dump()
        data["go_live_date"] = self.go_live_date.isoformat() if self.go_live_date else ""
        return data


@dataclass(frozen=True)
class CatalogChoice:
    """One product the form offers, with its term and billing cycle in words."""

    key: str
    title: str
    description: str
    category: str
    product_group: str
    term: str
    billing_cycle: str
    min_quantity: int
    max_quantity: int
    catalog_item_id: str
    term_label: str  # "1 year"
    cycle_label: str  # "Monthly"

    @classmethod
    def of(cls, row: CatalogItem) -> CatalogChoice:
        """The choice for a catalog cache row."""
        ref = CatalogItemRef.of(row)
        return cls(
            key=ref.key,
            title=row.title,
            description=row.description,
            category=row.category,
            product_group=row.product_group,
            term=row.term,
            billing_cycle=row.billing_cycle.lower(),
            min_quantity=row.min_quantity,
            max_quantity=row.max_quantity,
            catalog_item_id=ref.catalog_item_id,
            term_label=term_label(row.term),
            cycle_label=cycle_label(row.billing_cycle),
        )


@dataclass(frozen=True)
class OrderOptions:
    """What the form may offer this organization: billing cycles the broker allows, products."""

    billing_cycles: list[str]
    choices: list[CatalogChoice]
    approvals_required: bool
    has_tenant: bool


@dataclass(frozen=True)
class OrderOutcome:
    """What happened to an order: placed now, scheduled, or waiting for the broker."""

    kind: str  # "placed" | "scheduled" | "approval"
    message: str
    record_id: int


@dataclass(frozen=True)
class PreparedOrder:
    """A validated order: what, for whom, and at what price today."""

    data: OrderInput
    organization_id: int
    tenant_id: int
    customer_id: str
    title: str
    quote: PriceQuoteView
    base_name: str = ""  # an add-on's: the name of the subscription it extends

    @property
    def friendly_name(self) -> str:
        """The name the subscription gets: the one typed, else the product's title."""
        return self.data.friendly_name or self.title


def seats_label(quantity: int | str) -> str:
    """ "1 seat", "3 seats": a quantity as people say it."""
    return f"{quantity} seat" if str(quantity) == "1" else f"{quantity} seats"
