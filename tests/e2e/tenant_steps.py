"""Arrangements and steps of the tenant and outbox browser tests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

# CPython 3.11.7 can stop pytest at the session's end with "AST constructor recursion depth
# mismatch" when hypothesis's plugin is first compiled after MSAL ran (these steps run MSAL);
# importing it at collection avoids that (as tests/integration/partner_center/conftest.py does).
import hypothesis  # noqa: F401
from playwright.sync_api import Page, expect

from o365portal.sandbox.core.server import SandboxInfo
from o365portal.services.organizations._organizations import OrganizationView
from o365portal.services.partner_center import close_http_client
from o365portal.services.principal import Principal
from tests.builders import new_organization, unique
from tests.sandboxes import HttpsSandbox
from tests.services.helpers import tenant_made_in_microsofts_portal

T = TypeVar("T")
FULL_US_ADDRESS = {
    "street_address": "1 Microsoft Way",
    "city": "Redmond",
    "state": "WA",
    "postal_code": "98052",
    "country": "US",
    "phone": "4255550100",
}


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a service coroutine on its own loop in a worker thread (Playwright owns this one)."""

    async def main() -> T:
        try:
            return await coroutine
        finally:
            await close_http_client()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def ready_organization(actor: Principal) -> OrganizationView:
    """An organization whose record has everything Microsoft needs (US)."""
    return new_organization(actor, **FULL_US_ADDRESS)


def existing_tenant(
    sandbox: SandboxInfo, billing_email: str = "it@existing.example"
) -> tuple[str, str]:
    """A tenant made in Microsoft's own portal: (company name, domain)."""
    company = unique("Existing ") + " Inc"
    customer = run(tenant_made_in_microsofts_portal(HttpsSandbox(sandbox), company, billing_email))
    return company, customer.company_profile.domain if customer.company_profile else ""


def customers_with_domain(sandbox: SandboxInfo, domain: str) -> int:
    """How many Partner Center customers have this primary domain."""
    rows = sandbox.state.table("customers").values()
    return sum(1 for c in rows if c["companyProfile"]["domain"] == domain)


def open_service_screen(page: Page) -> None:
    """From an e-store, open Microsoft 365 CSP Direct."""
    expect(page.get_by_role("heading", name="Microsoft 365 CSP Direct")).to_be_visible()
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page).to_have_url(re.compile(r"/estore/microsoft-365$"))


def add_tenant(page: Page, prefix: str) -> str:
    """Type a free prefix, wait for the check, add the service; returns the domain."""
    domain = f"{prefix}.onmicrosoft.com"
    page.get_by_label("Domain prefix").fill(prefix)
    expect(page.get_by_role("status")).to_have_text(f"{domain} is available.")
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_text(f"Tenant {domain} created.", exact=False)).to_be_visible()
    return domain
