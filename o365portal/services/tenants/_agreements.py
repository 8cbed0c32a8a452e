"""The Microsoft Customer Agreement (MCA) of an organization's tenant: whether the customer has
accepted it, and recording an acceptance.

Partner Center refuses every purchase for a customer that has not accepted the MCA (13605).
A tenant the portal creates accepts it at once (`tenants.create_tenant`); a tenant made in
Microsoft's portal and then linked may or may not have. The status therefore comes from
Partner Center (`GET /v1/customers/{id}/agreements`) and is cached on the tenant row: an
acceptance is kept and not asked again; "not accepted" is asked again on every read, since
the customer may accept elsewhere meanwhile.

The acceptance names the customer's signer (first and last name, e-mail) and the day they
accepted. A broker records it for any organization; a customer account for its own (the
portal has no separate customer-admin role). Orders ask for it first: `require_accepted`
runs before an order is placed, sent for approval or scheduled, never after.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from pydantic import BaseModel, ConfigDict, field_validator
from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.enums import TenantStatus
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center import PartnerCenterClient
from o365portal.partner_center.areas.agreements import MCA
from o365portal.partner_center.errors import AlreadyExists, PartnerCenterError
from o365portal.partner_center.models.customers import Agreement, AgreementContact
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, NoTenant, NotFound, translate
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.tenants import _records as records
from o365portal.services.validation import parse_input

__all__ = [
    "ACCEPTANCE_FIELDS",
    "AgreementView",
    "accept_agreement",
    "agreement_status",
    "require_accepted",
]

ACCEPTANCE_FIELDS = ("mca_first_name", "mca_last_name", "mca_email", "mca_date", "mca_confirmed")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_NEEDED = (
    "Microsoft accepts orders only once the customer has accepted the Microsoft Customer "
    "Agreement: record who accepted it and when."
)


@dataclass(frozen=True)
class AgreementView:
    """The MCA of one tenant as screens show it, with the acceptance form's suggestion (the
    organization's contact, today) and where Microsoft publishes the agreement."""

    mca_status: str  # accepted | not_accepted | unknown
    mca_label: str
    agreement_link: str
    suggestion: dict[str, str]

    @property
    def accepted(self) -> bool:
        """Whether Partner Center has the customer's acceptance."""
        return self.mca_status == "accepted"


class AcceptanceInput(BaseModel):
    """The acceptance fields as the tenant screen or the order form posts them."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    mca_first_name: str
    mca_last_name: str
    mca_email: str
    mca_date: date
    mca_confirmed: bool = False

    @field_validator("mca_first_name", "mca_last_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value:
            raise ValueError("Enter the signer's name.")
        if len(value) > 100:
            raise ValueError("This is too long (at most 100 characters).")
        return value

    @field_validator("mca_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if len(value) > 254 or not _EMAIL.match(value):
            raise ValueError("Enter the signer's e-mail address like name@example.com.")
        return value.lower()

    @field_validator("mca_date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        if value in ("", None):
            raise ValueError("Enter the day the signer accepted the agreement.")
        return value

    @field_validator("mca_confirmed", mode="before")
    @classmethod
    def _confirmed(cls, value: object) -> bool:
        if value not in (True, "true", "on", "yes"):
            raise ValueError("Confirm that the signer accepted the agreement.")
        return True


def _tenant(session: Session, actor: Principal, organization_id: int) -> Tenant:
    if session.get(Organization, organization_id) is None or not actor.may_see_organization(
        organization_id
    ):
        raise NotFound("organization")
    row = records.tenant_of(session, organization_id)
    if row is None or row.status is not TenantStatus.ACTIVE or not row.customer_id:
        raise NoTenant()
    return row


def _suggestion(session: Session, organization_id: int) -> dict[str, str]:
    org = session.get(Organization, organization_id)
    assert org is not None
    return {
        "mca_first_name": org.contact_first_name,
        "mca_last_name": org.contact_last_name,
        "mca_email": org.email,
        "mca_date": clock.today().isoformat(),
    }


@asynccontextmanager
async def _client(pc: PartnerCenterClient | None) -> AsyncIterator[PartnerCenterClient]:
    if pc is not None:
        yield pc  # the caller's client: the caller closes it
        return
    async with partner_center() as own:
        yield own


async def _microsofts_record(pc: PartnerCenterClient, customer_id: str) -> Agreement | None:
    accepted = [a for a in await pc.agreements.list(customer_id) if (a.type or MCA) == MCA]
    return accepted[0] if accepted else None


def _store(
    organization_id: int, agreement: Agreement | None, actor: Principal | None = None
) -> records.TenantView:
    contact = agreement.primary_contact if agreement else None
    name = f"{contact.first_name or ''} {contact.last_name or ''}".strip() if contact else ""
    with session_scope() as session:
        row = records.tenant_of(session, organization_id)
        assert row is not None
        agreed = (agreement.date_agreed or clock.now()) if agreement else None
        records.remember_mca(
            row,
            accepted_at=agreed,
            name=name,
            email=(contact.email or "") if contact else "",
            now=clock.now(),
        )
        session.add(row)
        if actor is not None:
            session.add(_audit(actor, row))
        session.flush()
        return records.tenant_view(session, row)


def _audit(actor: Principal, row: Tenant) -> AuditLogEntry:
    return AuditLogEntry(
        actor_account_id=actor.account_id,
        action="tenant.mca_accept",
        entity="tenant",
        entity_id=str(row.id),
        details={
            "customer_id": row.customer_id,
            "signer": row.mca_signer_name,
            "email": row.mca_signer_email,
            "date_agreed": row.mca_accepted_at.isoformat() if row.mca_accepted_at else None,
        },
    )


async def agreement_status(
    *, actor: Principal, organization_id: int, pc: PartnerCenterClient | None = None
) -> AgreementView:
    """The tenant's MCA status from Partner Center (an acceptance already cached is kept),
    with the agreement's link and a suggested signer while it is not accepted."""
    with session_scope() as session:
        row = _tenant(session, actor, organization_id)
        suggestion = _suggestion(session, organization_id)
        if row.mca_accepted_at is not None:
            view = records.tenant_view(session, row)
            return AgreementView(view.mca_status, view.mca_label, "", {})
        customer_id = row.customer_id or ""
    try:
        async with _client(pc) as client:
            agreement = await _microsofts_record(client, customer_id)
            link = "" if agreement else (await client.agreements.mca_template()).agreement_link
    except PartnerCenterError as error:
        raise translate(error) from error
    view = _store(organization_id, agreement)
    if agreement is not None:
        return AgreementView(view.mca_status, view.mca_label, "", {})
    return AgreementView(view.mca_status, view.mca_label, link or "", suggestion)


async def accept_agreement(
    *,
    actor: Principal,
    organization_id: int,
    form: dict[str, object],
    pc: PartnerCenterClient | None = None,
) -> AgreementView:
    """Record in Partner Center that the named signer accepted the MCA for the organization's
    tenant on the given day (not in the future); an earlier acceptance counts as done."""
    with session_scope() as session:
        customer_id = _tenant(session, actor, organization_id).customer_id or ""
    data = parse_input(AcceptanceInput, dict(form))
    if data.mca_date > clock.today():
        raise InvalidInput({"mca_date": "The day of acceptance cannot be in the future."})
    contact = AgreementContact(
        first_name=data.mca_first_name, last_name=data.mca_last_name, email=data.mca_email
    )
    agreed = datetime.combine(data.mca_date, time(), UTC)
    try:
        async with _client(pc) as client:
            try:
                agreement: Agreement | None = await client.agreements.accept_mca(
                    customer_id, contact, date_agreed=agreed
                )
            except AlreadyExists:  # 600061: accepted meanwhile; keep Microsoft's record
                agreement = await _microsofts_record(client, customer_id)
    except PartnerCenterError as error:
        raise translate(
            error, action="the acceptance", unchanged="the acceptance was not recorded"
        ) from error
    view = _store(organization_id, agreement, actor)
    return AgreementView(view.mca_status, view.mca_label, "", {})


async def require_accepted(
    *,
    actor: Principal,
    organization_id: int,
    form: dict[str, object],
    pc: PartnerCenterClient | None = None,
) -> None:
    """Before an order: pass when the customer has accepted the MCA; else record the acceptance
    the form carries (`mca_*` fields), or ask for it (InvalidInput naming `mca`)."""
    status = await agreement_status(actor=actor, organization_id=organization_id, pc=pc)
    if status.accepted:
        return
    if "mca_first_name" not in form:
        raise InvalidInput({"mca": _NEEDED})
    await accept_agreement(actor=actor, organization_id=organization_id, form=form, pc=pc)
