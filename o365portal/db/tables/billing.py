"""The billing report's rated lines, kept so a report of thousands of subscriptions reads sums.

A subscription's lines are rated once by the report's engine (services/billing) and kept here
with the stamps of what they were rated from: the subscription's `billing_stamp` and the
global `BillingInputs.stamp`. Database triggers (created by the migration, on SQLite and
PostgreSQL alike) raise a subscription's stamp when its row, history or own prices change, and
the global stamp when a price list, Microsoft's cost, the catalog, an organization's price list
or the broker's currency changes; a rating whose stamps or engine version differ, or that was
rated through an earlier day than a report needs, is rated again before the report reads it.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from o365portal.db.base import money_field

BILLING_INPUTS_ID = 1


class BillingInputs(SQLModel, table=True):
    """The singleton stamp of the inputs every subscription's rating shares (prices, costs,
    catalog, currency); raised by triggers whenever one of them changes."""

    __tablename__ = "billing_inputs"
    __table_args__ = (CheckConstraint(f"id = {BILLING_INPUTS_ID}", name="singleton"),)

    id: int = Field(default=BILLING_INPUTS_ID, primary_key=True)
    stamp: int = Field(default=0)


class BillingRating(SQLModel, table=True):
    """One subscription's kept rating: what it was rated from, through which day, and why it
    could not be rated (`problem`, "" when it could; it then has no lines)."""

    __tablename__ = "billing_rating"

    subscription_id: int = Field(
        primary_key=True, foreign_key="subscription.id", ondelete="CASCADE"
    )
    subscription_stamp: int
    inputs_stamp: int
    engine_version: str = Field(max_length=16)
    rated_through: date
    problem: str = Field(default="", sa_type=Text)


class BillingRatedLine(SQLModel, table=True):
    """One kept line: the day it is charged, its sales amount and Microsoft's cost of it
    (None when no cost is recorded); the words and unit prices are rated again when a person
    opens the subscription."""

    __tablename__ = "billing_rated_line"

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(
        foreign_key="billing_rating.subscription_id", ondelete="CASCADE", index=True
    )
    charge_date: date
    amount: Decimal = money_field()
    cost: Decimal | None = money_field(nullable=True)
