"""My Services -> Settings: what the broker offers and how it bills (brokers only)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, field_validator

from o365portal.db.engine import session_scope
from o365portal.db.enums import AllowedBillingCycles
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, DEFAULT_NUMBER_LOCALE, BrokerSettings
from o365portal.services.errors import NotAllowed
from o365portal.services.number_format import LOCALES, locale_options
from o365portal.services.principal import Principal
from o365portal.services.reference_data import CURRENCIES
from o365portal.services.validation import parse_input

DEFAULT_BROKER_NAME = "Your cloud-service broker"
DEFAULT_CURRENCY = "USD"

CYCLE_OPTIONS = [
    (AllowedBillingCycles.BOTH.value, "Monthly and annual"),
    (AllowedBillingCycles.MONTHLY.value, "Monthly only"),
    (AllowedBillingCycles.ANNUAL.value, "Annual only"),
]
CURRENCY_OPTIONS = sorted(CURRENCIES.items())
NUMBER_LOCALE_OPTIONS = locale_options()
BILLING_DAY_OPTIONS = [("0", "Calendar month (1st to last day)")] + [
    (str(day), f"Cycle ends on day {day}") for day in range(1, 32)
]


@dataclass(frozen=True)
class BrokerSettingsView:
    """The broker's settings as the settings page shows them."""

    broker_name: str
    currency: str
    billing_cycle_day: int
    allowed_billing_cycles: str
    approvals_required: bool
    number_locale: str

    def as_form(self) -> dict[str, str]:
        """The settings as form values."""
        return {
            "broker_name": self.broker_name,
            "currency": self.currency,
            "billing_cycle_day": str(self.billing_cycle_day),
            "allowed_billing_cycles": self.allowed_billing_cycles,
            "approvals_required": "on" if self.approvals_required else "",
            "number_locale": self.number_locale,
        }


class BrokerSettingsInput(BaseModel):
    """The settings form; `approvals_required` arrives as a checkbox value ('on' or absent)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    broker_name: str
    currency: str
    billing_cycle_day: int = 0
    allowed_billing_cycles: AllowedBillingCycles = AllowedBillingCycles.BOTH
    approvals_required: bool = False
    number_locale: str = DEFAULT_NUMBER_LOCALE

    @field_validator("broker_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value:
            raise ValueError("Enter the broker's company name.")
        if len(value) > 200:
            raise ValueError("This is too long (at most 200 characters).")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value.upper() not in CURRENCIES:
            raise ValueError("Choose a currency from the list.")
        return value.upper()

    @field_validator("billing_cycle_day")
    @classmethod
    def _day(cls, value: int) -> int:
        if not 0 <= value <= 31:
            raise ValueError("Choose a calendar month or a day from 1 to 31.")
        return value

    @field_validator("number_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError("Choose a number format from the list.")
        return value

    @field_validator("approvals_required", mode="before")
    @classmethod
    def _checkbox(cls, value: object) -> bool:
        return value in (True, "on", "true", "1")


def _row_view(row: BrokerSettings | None) -> BrokerSettingsView:
    if row is None:
        return BrokerSettingsView(
            DEFAULT_BROKER_NAME, DEFAULT_CURRENCY, 0, "both", False, DEFAULT_NUMBER_LOCALE
        )
    return BrokerSettingsView(
        broker_name=row.broker_name,
        currency=row.currency,
        billing_cycle_day=row.billing_cycle_day or 0,
        allowed_billing_cycles=AllowedBillingCycles(row.allowed_billing_cycles).value,
        approvals_required=row.approvals_required,
        number_locale=row.number_locale,
    )


def get_broker_settings(*, actor: Principal) -> BrokerSettingsView:
    """The current settings (defaults until the broker first saves them)."""
    if not actor.is_broker:
        raise NotAllowed()
    with session_scope() as session:
        return _row_view(session.get(BrokerSettings, BROKER_SETTINGS_ID))


def update_broker_settings(*, actor: Principal, form: dict[str, object]) -> BrokerSettingsView:
    """Validate and save the settings (brokers only)."""
    if not actor.is_broker:
        raise NotAllowed()
    data = parse_input(BrokerSettingsInput, dict(form))
    with session_scope() as session:
        row = session.get(BrokerSettings, BROKER_SETTINGS_ID) or BrokerSettings(
            broker_name=data.broker_name, currency=data.currency
        )
        for key, value in data.model_dump().items():
            setattr(row, key, value)
        row.billing_cycle_day = data.billing_cycle_day or None
        session.add(row)
        session.flush()
        return _row_view(row)
