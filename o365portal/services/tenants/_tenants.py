"""Microsoft 365 tenants: add a new tenant for an organization, or link an existing one.

Creating is safe to retry at any point. The organization's tenant row is written as *pending*
(keyed by its domain) before Partner Center is asked; the customer id is stored the moment
Partner Center returns it. A retry therefore continues instead of starting over: it uses the
stored customer, or finds the customer by domain when the answer was lost (timeout, process
died before the commit), and never creates a second one. The client's MS-RequestId replay
covers retries inside one call.

The portal never stores the administrator's password: Partner Center's first one is dropped,
and the credentials e-mail is queued with only where its password comes from. When the mail
job sends it, `issue_admin_password` sets a new one-time password through Partner Center and it
goes straight into the message (each retry issues a new one; only the delivered one works).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import SecretStr

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.tenants import Tenant
from o365portal.domain.passwords import generate_password
from o365portal.mail.delivery import SecretUnavailable
from o365portal.mail.templates import TENANT_ADMIN_SOURCE, tenant_credentials
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.errors import AlreadyExists, PartnerCenterError, RejectedError
from o365portal.partner_center.models.customers import CountryValidationRules, Customer
from o365portal.services.errors import InvalidInput, NotFound, translate
from o365portal.services.organizations._organizations import may_edit_organization
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.tenants import _records as records
from o365portal.services.tenants._address import (
    DOMAIN_SUFFIX,
    MissingItem,
    customer_request,
    mca_contact,
    missing_items,
    normalize_prefix,
    prefix_problem,
    registration_number_sent,
    suggested_prefix,
)
from o365portal.services.tenants._errors import (
    RESUMABLE,
    AddressIncomplete,
    DomainTaken,
    TenantExists,
)
from o365portal.services.tenants._records import TenantView

__all__ = [
    "AddressIncomplete",
    "DomainCheck",
    "DomainTaken",
    "NewTenantForm",
    "TenantView",
    "check_domain",
    "create_tenant",
    "get_tenant",
    "issue_admin_password",
    "new_tenant_form",
]


@dataclass(frozen=True)
class NewTenantForm:
    """What the new-tenant form shows: the organization's data Microsoft will receive (the
    registration number only where the country needs it), what is missing under the country's
    rules, whether the actor may complete the record, and a suggested domain prefix."""

    organization_id: int
    company_name: str
    address: str
    contact: str
    email: str
    phone: str
    registration_number: str
    registration_number_needed: bool
    missing: list[MissingItem]
    may_edit_organization: bool
    suggested_prefix: str
    unfinished_domain: str


@dataclass(frozen=True)
class DomainCheck:
    """The answer to "may I use this prefix?"."""

    prefix: str
    domain: str
    available: bool
    message: str
    taken: bool = False  # a valid prefix whose domain already belongs to a Microsoft tenant


def _load_organization(actor: Principal, organization_id: int) -> Organization:
    with session_scope() as session:
        org = session.get(Organization, organization_id)
        if org is None or not actor.may_see_organization(organization_id):
            raise NotFound("organization")
        return org


def get_tenant(*, actor: Principal, organization_id: int) -> TenantView | None:
    """The organization's active tenant, or None (a pending creation is not a tenant yet)."""
    _load_organization(actor, organization_id)
    with session_scope() as session:
        row = records.tenant_of(session, organization_id)
        if row is None or row.customer_id is None or row.status is not TenantStatus.ACTIVE:
            return None
        return records.tenant_view(session, row)


async def new_tenant_form(*, actor: Principal, organization_id: int) -> NewTenantForm:
    """The prefilled new-tenant form, checked against the country's rules in Partner Center."""
    org = _load_organization(actor, organization_id)
    try:
        async with partner_center() as pc:
            rules = await pc.customers.country_validation_rules(org.country)
    except PartnerCenterError as error:
        raise translate(error) from error
    return NewTenantForm(
        organization_id=organization_id,
        company_name=org.company_name,
        address=_address_line(org),
        contact=f"{org.contact_first_name} {org.contact_last_name}".strip(),
        email=org.email,
        phone=org.phone or "",
        registration_number=registration_number_sent(org, rules),
        registration_number_needed=bool(rules.customer_organization_registration_number_required),
        missing=missing_items(org, rules),
        may_edit_organization=may_edit_organization(actor),
        suggested_prefix=suggested_prefix(org.company_name),
        unfinished_domain=_unfinished_domain(organization_id),
    )


def _address_line(org: Organization) -> str:
    region = " ".join(part for part in (org.state, org.postal_code) if part)
    parts = [org.street_address, org.city, region, org.country]
    return ", ".join(part for part in parts if part)


def _unfinished_domain(organization_id: int) -> str:
    with session_scope() as session:
        row = records.tenant_of(session, organization_id)
        return row.domain if row is not None and row.status is TenantStatus.PENDING else ""


async def check_domain(*, actor: Principal, prefix: str) -> DomainCheck:
    """Whether `<prefix>.onmicrosoft.com` is free, asked of Partner Center."""
    del actor  # any signed-in account may ask; the answer is public
    prefix = normalize_prefix(prefix)
    domain = prefix + DOMAIN_SUFFIX
    problem = prefix_problem(prefix)
    if problem:
        return DomainCheck(prefix, domain, False, problem)
    try:
        async with partner_center() as pc:
            free = await pc.customers.is_domain_available(domain)
    except PartnerCenterError as error:
        raise translate(error) from error
    message = f"{domain} is available." if free else DomainTaken(domain).args[0]
    return DomainCheck(prefix, domain, free, message, taken=not free)


async def create_tenant(*, actor: Principal, organization_id: int, prefix: str) -> TenantView:
    """Create the organization's tenant in Partner Center, accept the Microsoft Customer
    Agreement with the contact's details, record it, and e-mail the admin sign-in."""
    org = _load_organization(actor, organization_id)
    prefix = normalize_prefix(prefix)
    if problem := prefix_problem(prefix):
        raise InvalidInput({"prefix": problem})
    _refuse_if_active(organization_id)
    try:
        async with partner_center() as pc:
            return await _create(pc, actor, org, prefix + DOMAIN_SUFFIX)
    except PartnerCenterError as error:
        raise translate(error, action="the new tenant", unchanged=RESUMABLE) from error


def _refuse_if_active(organization_id: int) -> None:
    with session_scope() as session:
        row = records.tenant_of(session, organization_id)
        if row is not None and row.status is TenantStatus.ACTIVE:
            raise TenantExists(row.domain)


async def _create(
    pc: PartnerCenterClient, actor: Principal, org: Organization, domain: str
) -> TenantView:
    rules = await pc.customers.country_validation_rules(org.country)
    if missing := missing_items(org, rules):
        raise AddressIncomplete(missing)
    row = await _pending_row(pc, actor, org.id or 0, domain)
    customer = await _customer_for(pc, row, org, rules)
    mca = await _accept_mca(pc, customer.id or "", org)
    email = tenant_credentials(
        to_address=org.email,
        contact_name=f"{org.contact_first_name} {org.contact_last_name}".strip(),
        company_name=org.company_name,
        user_name=f"admin@{row.domain}",
        customer_id=customer.id or "",
    )
    relationship = str(customer.relationship_to_partner or "reseller")
    return records.complete(
        row.id or 0,
        relationship=relationship,
        actor=actor,
        action="tenant.create",
        email=email,
        mca=mca,
    )


async def _pending_row(
    pc: PartnerCenterClient, actor: Principal, organization_id: int, wanted: str
) -> Tenant:
    domain = await _domain_to_finish(pc, organization_id, wanted)
    try:
        return records.claim_pending(organization_id, domain, actor)
    except records.DomainInUse as error:
        raise DomainTaken(domain) from error


async def _domain_to_finish(pc: PartnerCenterClient, organization_id: int, wanted: str) -> str:
    """An unfinished earlier attempt wins when Partner Center already has its customer."""
    with session_scope() as session:
        earlier = records.tenant_of(session, organization_id)
    if earlier is None or earlier.domain == wanted:
        return wanted
    if earlier.customer_id is not None or await find_by_domain(pc, earlier.domain):
        return earlier.domain
    return wanted


async def _customer_for(
    pc: PartnerCenterClient, row: Tenant, org: Organization, rules: CountryValidationRules
) -> Customer:
    if row.customer_id:
        return await pc.customers.get(row.customer_id)
    found = await find_by_domain(pc, row.domain)
    if found is not None:
        records.remember_customer(row.id or 0, found.id or "")
        return found
    if not await pc.customers.is_domain_available(row.domain):
        records.drop_pending(row.id or 0)
        raise DomainTaken(row.domain)
    return await _create_customer(pc, row, org, rules)


async def _create_customer(
    pc: PartnerCenterClient, row: Tenant, org: Organization, rules: CountryValidationRules
) -> Customer:
    try:
        customer = await pc.customers.create(customer_request(org, row.domain, rules))
    except AlreadyExists:
        customer = await find_by_domain(pc, row.domain) or _taken(row)
    except RejectedError:
        records.drop_pending(row.id or 0)  # refused: Partner Center created nothing
        raise
    records.remember_customer(row.id or 0, customer.id or "")
    return customer


def _taken(row: Tenant) -> Customer:
    records.drop_pending(row.id or 0)
    raise DomainTaken(row.domain)


async def find_by_domain(pc: PartnerCenterClient, domain: str) -> Customer | None:
    async for customer in pc.customers.iterate(starts_with=domain, field="Domain"):
        profile = customer.company_profile
        if profile is not None and (profile.domain or "").lower() == domain.lower():
            return customer
    return None


async def _accept_mca(
    pc: PartnerCenterClient, customer_id: str, org: Organization
) -> records.McaAcceptance:
    contact = mca_contact(org)
    agreed = datetime.now(UTC)
    with suppress(AlreadyExists):  # 600061: accepted by an earlier attempt
        accepted = await pc.agreements.accept_mca(customer_id, contact, date_agreed=agreed)
        agreed = accepted.date_agreed or agreed
    name = f"{contact.first_name or ''} {contact.last_name or ''}".strip()
    return records.McaAcceptance(agreed, name, contact.email or "")


async def issue_admin_password(source: str) -> str:
    """A new one-time password for the tenant administrator named by a mail's secret source
    (`tenant-admin:<customer id>`), set through Partner Center; the caller only sends it."""
    customer_id = source.removeprefix(TENANT_ADMIN_SOURCE)
    if not source.startswith(TENANT_ADMIN_SOURCE) or not customer_id:
        raise SecretUnavailable(f"unknown secret source {source!r}")
    try:
        async with partner_center() as pc:
            customer = await pc.customers.get(customer_id)
            profile = customer.company_profile
            user_name = f"admin@{(profile.domain if profile else '') or ''}"
            admin = await _admin_user(pc, customer_id, user_name)
            fresh = generate_password(user_name, (profile.company_name if profile else "") or "")
            await pc.users.reset_password(customer_id, admin, SecretStr(fresh))
    except (PartnerCenterError, NotFound) as error:
        raise SecretUnavailable(f"could not issue the administrator password: {error}") from error
    return fresh


async def _admin_user(pc: PartnerCenterClient, customer_id: str, user_name: str) -> str:
    async for user in pc.users.iterate(customer_id):
        if (user.user_principal_name or "").lower() == user_name.lower():
            return user.id or ""
    raise NotFound("tenant administrator")
