"""Linking an existing Microsoft 365 tenant: the reseller-relationship link to send to the
customer, Partner Center customers no organization has yet, and linking one.

Brokers see and link any unlinked customer; a customer links its own organization by typing
its tenant's domain (it must be one of the broker's Partner Center customers, i.e. the customer
accepted the reseller relationship). A domain is easy to guess, so a customer's link also needs
proof the broker vouched for: the tenant's Microsoft billing contact must be the organization's
contact e-mail address (both are set by the broker, never by the customer; a shared mail domain
such as a free-mail provider would prove nothing); otherwise only the broker can link it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from o365portal.partner_center.errors import NotFoundError, PartnerCenterError
from o365portal.partner_center.models.customers import Customer
from o365portal.services import changes
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound, translate
from o365portal.services.organizations._organizations import get_organization
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.sync import remember_customers
from o365portal.services.tenants import _records as records
from o365portal.services.tenants._errors import (
    RelationshipNotAccepted,
    TenantAlreadyLinked,
    TenantExists,
)
from o365portal.services.tenants._records import TenantView
from o365portal.services.tenants._tenants import find_by_domain, get_tenant


@dataclass(frozen=True)
class UnlinkedCustomer:
    """A Partner Center customer that no organization is linked to."""

    customer_id: str
    company_name: str
    domain: str
    relationship: str


async def relationship_link(*, actor: Principal) -> str:
    """The link a customer follows to accept the broker as reseller of an existing tenant."""
    del actor  # any signed-in account: the link is the broker's public invitation
    try:
        async with partner_center() as pc:
            request = await pc.customers.relationship_request()
    except PartnerCenterError as error:
        raise translate(error) from error
    return request.url or ""


async def unlinked_customers(*, actor: Principal) -> list[UnlinkedCustomer]:
    """Partner Center customers not linked to any organization, by company name (brokers)."""
    if not actor.is_broker:
        raise NotAllowed()
    ids, domains = records.known_customers()
    try:
        async with partner_center() as pc:
            found = [customer async for customer in pc.customers.iterate()]
    except PartnerCenterError as error:
        raise translate(error) from error
    await asyncio.to_thread(remember_customers, found)  # the badge counts from this copy
    unlinked = [_unlinked(c) for c in found if c.id not in ids]
    unlinked = [c for c in unlinked if c.domain.lower() not in domains]
    return sorted(unlinked, key=lambda c: c.company_name.lower())


async def unlinked_count(*, actor: Principal) -> int:
    """How many customers wait to be linked (brokers; 0 for customers), from the copy of the
    broker's customers that sync and the unlinked-tenants page keep."""
    if not actor.is_broker:
        return 0
    return await asyncio.to_thread(records.unlinked_count)


def _unlinked(customer: Customer) -> UnlinkedCustomer:
    profile = customer.company_profile
    return UnlinkedCustomer(
        customer_id=customer.id or "",
        company_name=(profile.company_name if profile else "") or "",
        domain=(profile.domain if profile else "") or "",
        relationship=str(customer.relationship_to_partner or ""),
    )


async def link_customer(*, actor: Principal, organization_id: int, customer_id: str) -> TenantView:
    """Link the Partner Center customer `customer_id` to the organization (brokers only)."""
    if not actor.is_broker:
        raise NotAllowed()
    _refuse_if_linked(actor, organization_id)
    try:
        async with partner_center() as pc:
            customer = await pc.customers.get(customer_id)
    except NotFoundError as error:
        raise NotFound("Partner Center customer") from error
    except PartnerCenterError as error:
        raise translate(error, action="the link", unchanged="the tenant was not linked") from error
    return _link(actor, organization_id, customer)


async def link_by_domain(*, actor: Principal, organization_id: int, domain: str) -> TenantView:
    """Link the broker's Partner Center customer whose primary domain is `domain`."""
    domain = domain.strip().lower()
    if not domain:
        raise InvalidInput(
            {"domain": "Enter the tenant's domain, such as contoso.onmicrosoft.com."}
        )
    _refuse_if_linked(actor, organization_id)
    try:
        async with partner_center() as pc:
            customer = await find_by_domain(pc, domain)
    except PartnerCenterError as error:
        raise translate(error, action="the link", unchanged="the tenant was not linked") from error
    if customer is None:
        raise RelationshipNotAccepted(domain)
    if not actor.is_broker:
        await _require_same_contact(actor, organization_id, customer)
    return _link(actor, organization_id, customer)


def _address(email: str | None) -> str:
    return (email or "").strip().lower()


async def _require_same_contact(actor: Principal, organization_id: int, customer: Customer) -> None:
    contact = _address(get_organization(actor=actor, organization_id=organization_id).email)
    try:
        async with partner_center() as pc:
            full = await pc.customers.get(customer.id or "")
    except PartnerCenterError as error:
        raise translate(error, action="the link", unchanged="the tenant was not linked") from error
    billing = full.billing_profile
    if not contact or _address(billing.email if billing else None) != contact:
        raise NotAllowed(
            "Your broker needs to link this tenant: its Microsoft billing contact is not your "
            "organization's contact. Ask your broker to link it for you."
        )


def _refuse_if_linked(actor: Principal, organization_id: int) -> None:
    existing = get_tenant(actor=actor, organization_id=organization_id)
    if existing is not None:
        raise TenantExists(existing.domain)


def _link(actor: Principal, organization_id: int, customer: Customer) -> TenantView:
    view = _unlinked(customer)
    ids, domains = records.known_customers()
    if view.customer_id in ids or view.domain.lower() in domains:
        raise TenantAlreadyLinked(view.domain)
    try:
        linked = records.link(
            organization_id, view.customer_id, view.domain, view.relationship or "reseller", actor
        )
    except records.DomainInUse as error:
        raise TenantAlreadyLinked(view.domain) from error
    changes.announce(organization_id, changes.UNLINKED, changes.BADGES)
    return linked
