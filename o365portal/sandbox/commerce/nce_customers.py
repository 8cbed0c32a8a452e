"""What commerce reads from the core's customer rows (table `customers`): country, names, MCA.

The customer rows belong to the core's customers area (their type is `rows.CustomerRow`).
These readers tolerate missing profiles: billing keeps lines of customers since removed, and
tests seed bare customer rows.
"""

from __future__ import annotations

from o365portal.sandbox.core.rows import BillingProfile, CompanyProfile, CustomerRow
from o365portal.sandbox.core.state import SandboxState
from o365portal.sandbox.directory.customers import customer_or_404


def find_customer(state: SandboxState, customer_id: str) -> CustomerRow:
    """The customer row, or Partner Center's 404 for an unknown tenant."""
    return customer_or_404(state, customer_id)


def _company(customer: CustomerRow | None) -> CompanyProfile | None:
    return customer.get("companyProfile") if customer else None


def _billing(customer: CustomerRow | None) -> BillingProfile | None:
    return customer.get("billingProfile") if customer else None


def customer_country(customer: CustomerRow | None) -> str:
    """ISO country of the customer's billing address (default address), upper-case."""
    billing = _billing(customer)
    address = (billing.get("defaultAddress") if billing else None) or {}
    return str(address.get("country") or "US").upper()


def customer_name(customer: CustomerRow | None) -> str:
    """The company name shown in reconciliation lines (none for a customer gone)."""
    company, billing = _company(customer), _billing(customer)
    return str(
        (company.get("companyName") if company else None)
        or (billing.get("companyName") if billing else None)
        or ""
    )


def customer_domain(customer: CustomerRow | None) -> str:
    """The customer's initial `*.onmicrosoft.com` domain."""
    company = _company(customer)
    return str((company.get("domain") if company else None) or "")


def mca_accepted(customer: CustomerRow) -> bool:
    """True once the customer accepted the Microsoft Customer Agreement (needed to purchase)."""
    return bool(customer.get("mcaAccepted"))
