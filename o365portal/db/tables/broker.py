"""The broker's own settings: one row (id 1) for the company running the portal."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from o365portal.db.base import NAME_LENGTH, currency_field, enum_type, updated_at_field
from o365portal.db.enums import AllowedBillingCycles

BROKER_SETTINGS_ID = 1
DEFAULT_NUMBER_LOCALE = "en_US"


class BrokerSettingsBase(SQLModel):
    """What the broker configures; a billing cycle day of None or 0 means calendar months."""

    broker_name: str = Field(max_length=NAME_LENGTH * 2)
    currency: str = currency_field()
    billing_cycle_day: int | None = Field(default=None)
    allowed_billing_cycles: AllowedBillingCycles = Field(
        default=AllowedBillingCycles.BOTH, sa_type=enum_type(AllowedBillingCycles)
    )
    approvals_required: bool = Field(default=False)
    # CLDR locale (e.g. de_DE) whose decimal and group signs prices are typed and shown in.
    number_locale: str = Field(
        default=DEFAULT_NUMBER_LOCALE, max_length=20, sa_column_kwargs={"server_default": "en_US"}
    )


class BrokerSettings(BrokerSettingsBase, table=True):
    """The singleton settings row; the check constraint keeps it single."""

    __tablename__ = "broker_settings"
    __table_args__ = (
        CheckConstraint(f"id = {BROKER_SETTINGS_ID}", name="singleton"),
        CheckConstraint(
            "billing_cycle_day IS NULL OR billing_cycle_day BETWEEN 0 AND 31",
            name="billing_cycle_day_range",
        ),
    )

    id: int = Field(default=BROKER_SETTINGS_ID, primary_key=True)
    updated_at: datetime = updated_at_field()
