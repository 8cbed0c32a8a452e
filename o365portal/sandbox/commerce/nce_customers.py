"""What commerce reads from the core's customer rows (table `customers`): country, names, MCA.

The customer rows belong to the core's customers area; this module is the one place that
knows their shape, so a change there is a change here only.
"""

from __future__ import annotations

from typing import Any

from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.directory.customers import customer_or_404


def find_customer(state: SandboxState, customer_id: str) -> dict[str, Any]:
    """The customer row, or Partner Center's 404 for an unknown tenant."""
    return customer_or_404(state, customer_id)


def customer_country(customer: dict[str, Any]) -> str:
    """ISO country of the customer's billing address (default address), upper-case."""
    address = (customer.get("billingProfile") or {}).get("defaultAddress") or {}
    return str(address.get("country") or "US").upper()


def customer_name(customer: dict[str, Any]) -> str:
    """The company name shown in reconciliation lines."""
    profile = customer.get("companyProfile") or {}
    billing = customer.get("billingProfile") or {}
    return str(profile.get("companyName") or billing.get("companyName") or "")


def customer_domain(customer: dict[str, Any]) -> str:
    """The customer's initial `*.onmicrosoft.com` domain."""
    return str((customer.get("companyProfile") or {}).get("domain") or "")


def mca_accepted(customer: dict[str, Any]) -> bool:
    """True once the customer accepted the Microsoft Customer Agreement (needed to purchase)."""
    return bool(customer.get("mcaAccepted"))
