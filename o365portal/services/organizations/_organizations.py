"""Organizations use cases: search, read, add and edit — brokers all, customers their own.

`OrganizationView` is a typed frozen dataclass with every word a screen shows, so a page's state
holds it as it is (`row.company_name`); `as_form()` gives the edit form's values.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock
from o365portal.services.errors import NotAllowed, NotFound
from o365portal.services.organizations._input import OrganizationInput
from o365portal.services.paging import bounded, window
from o365portal.services.principal import Principal
from o365portal.services.reference_data import COUNTRIES, LANGUAGES
from o365portal.services.text_search import contains
from o365portal.services.validation import parse_input

COUNTRY_OPTIONS = sorted(COUNTRIES.items(), key=lambda item: item[1])
LANGUAGE_OPTIONS = sorted(LANGUAGES.items(), key=lambda item: item[1])
_FORM_FIELDS = tuple(OrganizationInput.model_fields)

__all__ = [
    "COUNTRY_OPTIONS",
    "LANGUAGE_OPTIONS",
    "OrganizationInput",
    "OrganizationPage",
    "OrganizationView",
    "create_organization",
    "get_organization",
    "may_edit_organization",
    "search_organizations",
    "update_organization",
]


@dataclass(frozen=True)
class OrganizationView:
    """An organization as screens show it; `domain` is its Microsoft 365 tenant's, if any."""

    id: int
    company_name: str
    registration_number: str
    street_address: str
    postal_code: str
    city: str
    state: str
    country: str
    contact_first_name: str
    contact_last_name: str
    email: str
    phone: str
    language: str
    domain: str
    url: str  # the organization's page
    country_name: str
    contact_name: str
    language_name: str

    def as_form(self) -> dict[str, str]:
        """The editable fields as form values."""
        return {key: str(getattr(self, key)) for key in _FORM_FIELDS}


@dataclass(frozen=True)
class OrganizationPage:
    """One page of a search."""

    items: list[OrganizationView]
    total: int


def _view(organization: Organization, domain: str | None) -> OrganizationView:
    return OrganizationView(
        id=organization.id or 0,
        company_name=organization.company_name,
        registration_number=organization.registration_number or "",
        street_address=organization.street_address,
        postal_code=organization.postal_code or "",
        city=organization.city,
        state=organization.state or "",
        country=organization.country,
        contact_first_name=organization.contact_first_name,
        contact_last_name=organization.contact_last_name,
        email=organization.email,
        phone=organization.phone or "",
        language=organization.language,
        domain=domain or "",
        url=f"/organizations/{organization.id or 0}",
        country_name=COUNTRIES.get(organization.country, organization.country),
        contact_name=f"{organization.contact_first_name} {organization.contact_last_name}".strip(),
        language_name=LANGUAGES.get(organization.language, organization.language),
    )


def _domain_of(session: Session, organization_id: int) -> str | None:
    query = select(Tenant.domain).where(Tenant.organization_id == organization_id)
    return session.exec(query).first()


def _require_broker(actor: Principal) -> None:
    if not actor.is_broker:
        raise NotAllowed()


def search_organizations(
    *,
    actor: Principal,
    query: str = "",
    page: int = 1,
    page_size: int = 20,
    without_tenant: bool = False,
) -> OrganizationPage:
    """Organizations whose name, registration number or tenant domain contains `query`
    (only those without a Microsoft 365 tenant yet when `without_tenant`)."""
    _require_broker(actor)
    matches = or_(
        contains(Organization.company_name, query),
        contains(func.coalesce(Organization.registration_number, ""), query),
        contains(func.coalesce(Tenant.domain, ""), query),
    )
    base = (
        select(Organization, Tenant.domain)
        .join(Tenant, col(Tenant.organization_id) == col(Organization.id), isouter=True)
        .where(matches)
    )
    if without_tenant:
        base = base.where(col(Tenant.id).is_(None))
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(base.subquery())).one()
        rows = session.exec(
            base.order_by(func.lower(Organization.company_name), col(Organization.id))
            .offset(window(page, page_size)[0])
            .limit(bounded(page, page_size)[1])
        ).all()
        return OrganizationPage(items=[_view(org, domain) for org, domain in rows], total=total)


def get_organization(*, actor: Principal, organization_id: int) -> OrganizationView:
    """One organization; a customer asking for another organization gets NotFound."""
    with session_scope() as session:
        organization = session.get(Organization, organization_id)
        if organization is None or not actor.may_see_organization(organization_id):
            raise NotFound("organization")
        return _view(organization, _domain_of(session, organization_id))


def create_organization(*, actor: Principal, form: dict[str, str]) -> OrganizationView:
    """Add an organization (brokers only) after validating every field."""
    _require_broker(actor)
    data = parse_input(OrganizationInput, dict(form))
    with session_scope() as session:
        organization = Organization(**data.model_dump())
        session.add(organization)
        session.flush()
        return _view(organization, None)


def may_edit_organization(actor: Principal) -> bool:
    """Whether the actor may change organization records: brokers only (customers read theirs)."""
    return actor.is_broker


def update_organization(
    *, actor: Principal, organization_id: int, form: dict[str, str]
) -> OrganizationView:
    """Change an organization's record (brokers only)."""
    if not may_edit_organization(actor):
        raise NotAllowed()
    data = parse_input(OrganizationInput, dict(form))
    with session_scope() as session:
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise NotFound("organization")
        for key, value in data.model_dump().items():
            setattr(organization, key, value)
        organization.updated_at = clock.now()
        session.add(organization)
        session.flush()
        return _view(organization, _domain_of(session, organization_id))
