"""Customers (reference §3, §4): domain availability, create, get, list, delete, country rules
and the reseller relationship link."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.auth import TokenKind
from o365portal.partner_center.errors import NotFoundError
from o365portal.partner_center.models.customers import (
    CompanyProfile,
    CountryValidationRules,
    Customer,
    RelationshipRequest,
)
from o365portal.partner_center.paging import iterate_seek


class CustomersArea(Area):
    """`client.customers`: the partner's customers (tenants)."""

    async def is_domain_available(self, domain: str) -> bool:
        """True when no tenant uses `domain` (e.g. `contoso.onmicrosoft.com`): HEAD gives 404."""
        try:
            await self._pipeline.request("HEAD", f"/v1/domains/{domain}")
        except NotFoundError:
            return True
        return False

    async def create(self, customer: Customer) -> Customer:
        """Create a customer and its tenant; the result carries the admin's one-time password."""
        return await self._send("POST", "/v1/customers", Customer, body=customer.to_wire())

    async def get(self, customer_id: str) -> Customer:
        """One customer with its billing profile."""
        return await self._get(f"/v1/customers/{customer_id}", Customer)

    def iterate(
        self, *, starts_with: str | None = None, field: str = "CompanyName", size: int = 100
    ) -> AsyncIterator[Customer]:
        """All customers, or those whose `field` (CompanyName or Domain) starts with a text."""
        params: dict[str, str | int] = {"size": size}
        if starts_with:
            search = {"Field": field, "Value": starts_with, "Operator": "starts_with"}
            params["filter"] = json.dumps(search)
        return iterate_seek(self._pipeline, "/v1/customers", Customer, params=params)

    async def delete(self, customer_id: str) -> None:
        """Delete a customer (integration sandbox accounts only)."""
        await self._pipeline.request("DELETE", f"/v1/customers/{customer_id}")

    async def company_profile(self, customer_id: str) -> CompanyProfile:
        """The customer's company profile (App+User)."""
        path = f"/v1/customers/{customer_id}/profiles/company"
        return await self._get(path, CompanyProfile, kind=TokenKind.APP_USER)

    async def relationship_request(self) -> RelationshipRequest:
        """The link an existing tenant follows to accept the partner as reseller (App+User)."""
        path = "/v1/customers/relationshiprequests"
        return await self._get(path, RelationshipRequest, kind=TokenKind.APP_USER)

    async def country_validation_rules(self, country: str) -> CountryValidationRules:
        """Address rules for an ISO-2 country code."""
        path = f"/v1/countryvalidationrules/{country.upper()}"
        return await self._get(path, CountryValidationRules)
