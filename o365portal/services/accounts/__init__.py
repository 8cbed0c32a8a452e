"""Sign-in, sessions and the broker's settings."""

from __future__ import annotations

from o365portal.services.accounts._settings import (
    BILLING_DAY_OPTIONS,
    CURRENCY_OPTIONS,
    CYCLE_OPTIONS,
    NUMBER_LOCALE_OPTIONS,
    get_broker_settings,
    update_broker_settings,
)
from o365portal.services.accounts._sign_in import (
    SESSION_LIFETIME_SECONDS,
    create_account,
    issue_account_password,
    principal_for,
    sign_in,
    sign_out,
)

__all__ = [
    "BILLING_DAY_OPTIONS",
    "CURRENCY_OPTIONS",
    "CYCLE_OPTIONS",
    "NUMBER_LOCALE_OPTIONS",
    "SESSION_LIFETIME_SECONDS",
    "create_account",
    "get_broker_settings",
    "issue_account_password",
    "principal_for",
    "sign_in",
    "sign_out",
    "update_broker_settings",
]
