"""Moving people between the portal's own directory and Microsoft 365, one person at a time:
portal accounts of the organization become Microsoft 365 users (import), and Microsoft 365
users get a customer portal account (export). Each person gets a result (done, or not done and
why); one failure does not stop the others. Passwords are e-mailed, issued at send time.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from sqlmodel import col, func, select

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.enums import Role
from o365portal.db.tables.accounts import PortalAccount
from o365portal.db.tables.m365_users import M365User
from o365portal.db.tables.organizations import Organization
from o365portal.mail.templates import portal_account_credentials
from o365portal.services.accounts import create_account
from o365portal.services.errors import InvalidInput, ServiceError
from o365portal.services.outbox._outbox import enqueue
from o365portal.services.principal import Principal
from o365portal.services.users import _records as records
from o365portal.services.users._input import EMAIL, usage_location_problem
from o365portal.services.users._users import create_user


@dataclass(frozen=True)
class PortalPerson:
    """A portal account of the organization, as the import dialog offers it."""

    account_id: int
    name: str
    email: str
    in_microsoft_365: bool  # a Microsoft 365 user with the suggested user name exists


@dataclass(frozen=True)
class PersonResult:
    """What became of one person: done, or not done and why."""

    name: str
    address: str  # the portal e-mail (import) or the Microsoft 365 user name (export)
    done: bool
    message: str


def _send_to_problem(send_to: str) -> dict[str, str]:
    if send_to and not EMAIL.match(send_to):
        return {"send_to": "Enter an e-mail address such as it@example.com, or leave it empty."}
    return {}


def suggested_user_name(first_name: str, last_name: str, email: str) -> str:
    """first.last in plain letters (accents dropped), else the e-mail's local part."""
    plain = unicodedata.normalize("NFKD", f"{first_name}.{last_name}".lower())
    name = re.sub(r"[^a-z0-9.]+", "", plain.encode("ascii", "ignore").decode()).strip(".")
    name = re.sub(r"\.{2,}", ".", name)
    return name or re.sub(r"[^a-z0-9._-]+", "", email.split("@", 1)[0].lower()).strip("._-")


def portal_people(*, actor: Principal, organization_id: int) -> list[PortalPerson]:
    """The organization's active portal accounts, for the import dialog."""
    tenant = records.tenant_for(actor, organization_id)
    with session_scope() as session:
        accounts = session.exec(
            select(PortalAccount)
            .where(PortalAccount.organization_id == organization_id)
            .where(col(PortalAccount.is_active))
            .order_by(col(PortalAccount.last_name), col(PortalAccount.first_name))
        ).all()
        upns = set(
            session.exec(
                select(func.lower(M365User.user_principal_name)).where(
                    M365User.tenant_id == tenant.tenant_id
                )
            ).all()
        )
    people = []
    for account in accounts:
        name = suggested_user_name(account.first_name, account.last_name, account.email)
        people.append(
            PortalPerson(
                account_id=account.id or 0,
                name=f"{account.first_name} {account.last_name}".strip(),
                email=account.email,
                in_microsoft_365=f"{name}@{tenant.domain}".lower() in upns,
            )
        )
    return people


async def import_from_portal(
    *,
    actor: Principal,
    organization_id: int,
    account_ids: list[int],
    usage_location: str,
    send_to: str = "",
) -> list[PersonResult]:
    """Each chosen portal account becomes a Microsoft 365 user named first.last@<tenant domain>,
    its sign-in e-mailed to `send_to` (empty: to the person's own portal e-mail)."""
    tenant = records.tenant_for(actor, organization_id)
    usage_location, send_to = usage_location.strip().upper(), send_to.strip()
    problems = _send_to_problem(send_to)
    if problem := usage_location_problem(usage_location):
        problems["usage_location"] = problem
    if not account_ids:
        problems["people"] = "Choose at least one person."
    if problems:
        raise InvalidInput(problems)
    with session_scope() as session:
        accounts = session.exec(
            select(PortalAccount)
            .where(col(PortalAccount.id).in_(account_ids))
            .where(PortalAccount.organization_id == organization_id)
        ).all()
        for account in accounts:
            session.expunge(account)
    found = {account.id: account for account in accounts}
    results = []
    for account_id in account_ids:
        chosen = found.get(account_id)
        if chosen is None:
            results.append(PersonResult(f"#{account_id}", "", False, "No such portal account."))
            continue
        results.append(await _import_one(actor, tenant, chosen, usage_location, send_to))
    return results


async def _import_one(
    actor: Principal,
    tenant: records.TenantRef,
    account: PortalAccount,
    usage_location: str,
    send_to: str,
) -> PersonResult:
    name = f"{account.first_name} {account.last_name}".strip()
    form: dict[str, object] = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "display_name": name,
        "user_name": suggested_user_name(account.first_name, account.last_name, account.email),
        "domain": tenant.domain,
        "usage_location": usage_location,
        "password_mode": "generate",
        "send_to": send_to or account.email,
    }
    try:
        row = await create_user(actor=actor, organization_id=tenant.organization_id, form=form)
    except InvalidInput as refused:
        return PersonResult(name, account.email, False, " ".join(refused.field_errors.values()))
    except ServiceError as failed:
        return PersonResult(name, account.email, False, str(failed))
    where = send_to or account.email
    message = f"Created {row.user_principal_name}; the sign-in was e-mailed to {where}."
    return PersonResult(name, account.email, True, message)


async def export_to_portal(
    *, actor: Principal, organization_id: int, user_ids: list[int], send_to: str = ""
) -> list[PersonResult]:
    """Each chosen Microsoft 365 user gets a customer portal account of the organization (its
    e-mail is the user name), the portal password e-mailed to `send_to` (empty: to the user
    name itself)."""
    tenant = records.tenant_for(actor, organization_id)
    send_to = send_to.strip()
    problems = _send_to_problem(send_to)
    if not user_ids:
        problems["people"] = "Choose at least one user."
    if problems:
        raise InvalidInput(problems)
    with session_scope() as session:
        org = session.get(Organization, organization_id)
        company = org.company_name if org else ""
    results = []
    for user_id in user_ids:
        try:
            user = records.user_copy(tenant, user_id)
        except ServiceError as missing:
            results.append(PersonResult(f"#{user_id}", "", False, str(missing)))
            continue
        results.append(_export_one(tenant, user, company, send_to))
    return results


def _export_one(
    tenant: records.TenantRef, user: M365User, company: str, send_to: str
) -> PersonResult:
    name, upn = user.display_name, user.user_principal_name
    if user.state != "active":
        return PersonResult(name, upn, False, "The user is deleted: restore it first.")
    try:
        account_id = create_account(
            email=upn,
            password=secrets.token_urlsafe(24),  # replaced when the e-mail is sent
            first_name=user.first_name or name,
            last_name=user.last_name or "",
            role=Role.CUSTOMER,
            organization_id=tenant.organization_id,
        )
    except InvalidInput as refused:
        return PersonResult(name, upn, False, " ".join(refused.field_errors.values()))
    email = portal_account_credentials(
        to_address=send_to or upn,
        sign_in_email=upn.lower(),
        name=name,
        company_name=company,
        account_id=account_id,
        portal_url=get_settings().portal_public_url or "the portal",
    )
    with session_scope() as session:
        enqueue(session, email)
    return PersonResult(
        name, upn, True, f"Portal account created; the password was e-mailed to {send_to or upn}."
    )
