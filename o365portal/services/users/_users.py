"""Microsoft 365 users of an organization's tenant: list, create, edit, reset the password,
delete (soft) and restore, all through Partner Center (Entra is the truth; the portal's copy
follows each answer at once).

Passwords are never stored or logged. A generated password is not even kept in memory beyond
the call that sets it: the credentials e-mail is queued with only where its password comes from
(`m365-user:<customer>:<user>`), and when the mail job sends it, `issue_user_password` sets a
fresh one-time password through Partner Center and it goes straight into the message, as for
the tenant administrator (docs/tenants-and-mail.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from o365portal.db.engine import session_scope
from o365portal.domain.passwords import check_password as policy_violations
from o365portal.domain.passwords import generate_password
from o365portal.mail.delivery import SecretUnavailable
from o365portal.mail.templates import M365_USER_SOURCE, m365_user_credentials
from o365portal.partner_center.errors import (
    AlreadyExists,
    InvalidRequest,
    NotFoundError,
    PartnerCenterError,
)
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services import clock
from o365portal.services.errors import InvalidInput, ServiceError, translate
from o365portal.services.outbox._outbox import enqueue
from o365portal.services.partner_center import partner_center
from o365portal.services.principal import Principal
from o365portal.services.users import _records as records
from o365portal.services.users._input import EMAIL, NewUserInput, UserDetailsInput
from o365portal.services.users._records import TenantRef, UserRow, UsersPage
from o365portal.services.validation import parse_input


class NotRestorable(ServiceError):
    """users/_users: the user was deleted more than 30 days ago and Microsoft removed it."""


@dataclass(frozen=True)
class PasswordCheck:
    """The live policy check of a chosen password: every broken rule with its reason."""

    acceptable: bool
    problems: list[str]


def list_users(
    *, actor: Principal, organization_id: int, search: str = "", page: int = 1, page_size: int = 50
) -> UsersPage:
    """The tenant's users as the portal last heard from Partner Center (brokers, and the
    organization's own people)."""
    tenant = records.tenant_for(actor, organization_id)
    return records.users_page(tenant, search, page, page_size)


def check_password(
    *, actor: Principal, password: str, user_name: str, domain: str = "", full_name: str = ""
) -> PasswordCheck:
    """The new-user form's live check of a chosen password against the policy."""
    del actor  # any signed-in account may ask; nothing is read or kept
    upn = f"{user_name.strip()}@{domain.strip()}" if domain.strip() else user_name.strip()
    found = policy_violations(password, user_name=upn, full_name=full_name.strip())
    return PasswordCheck(not found, [violation.message for violation in found])


def _chosen_password_problem(form: NewUserInput) -> str | None:
    if form.password_mode == "generate":
        return None
    if not form.password:
        return "Enter the password, or let the portal generate one."
    found = policy_violations(
        form.password, user_name=form.user_principal_name, full_name=form.full_name
    )
    return " ".join(violation.message for violation in found) or None


def _new_user_form(tenant: TenantRef, data: dict[str, object]) -> NewUserInput:
    form = parse_input(NewUserInput, data)
    problems: dict[str, str] = {}
    if not form.display_name:
        problems["display_name"] = "Enter a display name, or a first and last name."
    if form.domain not in tenant.domains:
        problems["domain"] = "Choose one of the tenant's domains: " + ", ".join(tenant.domains)
    if form.password_mode == "generate" and not form.send_to:
        problems["send_to"] = "Enter the e-mail address the sign-in details go to."
    if problem := _chosen_password_problem(form):
        problems["password"] = problem
    if problems:
        raise InvalidInput(problems)
    return form


def _field_error(error: PartnerCenterError, upn: str) -> InvalidInput | None:
    """Partner Center's refusals that point at one field of the form."""
    if isinstance(error, AlreadyExists):
        return InvalidInput({"user_name": f"{upn} is taken: another user of the tenant has it."})
    if isinstance(error, InvalidRequest) and error.code == 60008:
        return InvalidInput({"domain": "This domain is not one of the tenant's domains."})
    if isinstance(error, InvalidRequest) and error.code == 60009:
        why = (error.description or "").strip()
        return InvalidInput({"password": f"Microsoft refused the password: {why}"})
    return None


async def create_user(
    *, actor: Principal, organization_id: int, form: dict[str, object]
) -> UserRow:
    """Create a Microsoft 365 user in the tenant. With a generated password its sign-in details
    are e-mailed to `send_to` (the password is issued when the e-mail is sent); a chosen one is
    checked against the policy first and the user must change it at first sign-in."""
    tenant = records.tenant_for(actor, organization_id)
    data = _new_user_form(tenant, form)
    upn = data.user_principal_name
    first = data.password if data.password_mode == "choose" else None
    request = CustomerUser(
        user_principal_name=upn,
        first_name=data.first_name or None,
        last_name=data.last_name or None,
        display_name=data.display_name,
        usage_location=data.usage_location,
        password_profile=PasswordProfile(
            password=SecretStr(first or generate_password(upn, data.full_name))
        ),
    )
    try:
        async with partner_center() as pc:
            user = await pc.users.create(tenant.customer_id, request)
    except PartnerCenterError as error:
        raise _field_error(error, upn) or translate(
            error, action="the new user", unchanged="no user was created"
        ) from error
    if data.password_mode == "generate":
        _send_credentials(tenant, user, data.send_to, reset=False)
    return records.remember(actor, tenant, user)


def _send_credentials(tenant: TenantRef, user: CustomerUser, to: str, *, reset: bool) -> None:
    email = m365_user_credentials(
        to_address=to,
        display_name=user.display_name or "",
        user_name=user.user_principal_name or "",
        company_name=tenant.company_name,
        customer_id=tenant.customer_id,
        user_id=user.id or "",
        reset=reset,
    )
    with session_scope() as session:
        enqueue(session, email)


async def update_user(
    *, actor: Principal, organization_id: int, user_id: int, form: dict[str, object]
) -> UserRow:
    """Change a user's names and usage location in Partner Center."""
    tenant = records.tenant_for(actor, organization_id)
    copy = records.user_copy(tenant, user_id)
    data = parse_input(UserDetailsInput, form)
    if not data.display_name:
        raise InvalidInput({"display_name": "Enter a display name, or a first and last name."})
    changes = CustomerUser(
        first_name=data.first_name,
        last_name=data.last_name,
        display_name=data.display_name,
        usage_location=data.usage_location,
    )
    try:
        async with partner_center() as pc:
            user = await pc.users.update(tenant.customer_id, copy.pc_user_id, changes)
    except PartnerCenterError as error:
        raise translate(error, action="the change", unchanged="the user is as it was") from error
    return records.remember(actor, tenant, user)


async def reset_password(
    *, actor: Principal, organization_id: int, user_id: int, send_to: str
) -> UserRow:
    """E-mail the user a new one-time password to `send_to` (set when the e-mail is sent)."""
    tenant = records.tenant_for(actor, organization_id)
    copy = records.user_copy(tenant, user_id)
    send_to = send_to.strip()
    if not EMAIL.match(send_to):
        raise InvalidInput({"send_to": "Enter an e-mail address such as ann@example.com."})
    try:
        async with partner_center() as pc:
            user = await pc.users.get(tenant.customer_id, copy.pc_user_id)
    except PartnerCenterError as error:
        raise translate(error, action="the reset", unchanged="the password is as it was") from error
    if str(user.state or "active").lower() != "active":
        records.remember(actor, tenant, user)
        raise InvalidInput({"send_to": "The user is deleted: restore it first."})
    _send_credentials(tenant, user, send_to, reset=True)
    return records.remember(actor, tenant, user)


async def delete_user(*, actor: Principal, organization_id: int, user_id: int) -> UserRow:
    """Delete a user (Microsoft keeps it restorable for 30 days; its licences are freed)."""
    tenant = records.tenant_for(actor, organization_id)
    copy = records.user_copy(tenant, user_id)
    if copy.user_principal_name.lower() == f"{records.ADMIN_LOCAL_PART}@{tenant.domain}":
        raise InvalidInput({"user": "The tenant's administrator cannot be deleted here."})
    try:
        async with partner_center() as pc:
            if copy.state == "active":
                await pc.users.delete(tenant.customer_id, copy.pc_user_id)
            user = await pc.users.get(tenant.customer_id, copy.pc_user_id)
    except PartnerCenterError as error:
        raise translate(error, action="the deletion", unchanged="the user is as it was") from error
    return records.remember(actor, tenant, user, licences_freed=True)


async def restore_user(*, actor: Principal, organization_id: int, user_id: int) -> UserRow:
    """Restore a deleted user within 30 days of the deletion; afterwards Microsoft has removed
    it for good and the refusal says so."""
    tenant = records.tenant_for(actor, organization_id)
    copy = records.user_copy(tenant, user_id)
    if copy.state == "active":
        return records.row_of(tenant, copy.pc_user_id)
    if copy.soft_deleted_at and clock.now() >= records.restorable_until(copy.soft_deleted_at):
        raise _too_late(copy.display_name, copy.soft_deleted_at.date().isoformat())
    try:
        async with partner_center() as pc:
            user = await pc.users.restore(tenant.customer_id, copy.pc_user_id)
    except NotFoundError as error:
        records.forget(actor, tenant, copy.pc_user_id)
        raise _too_late(copy.display_name, "") from error
    except PartnerCenterError as error:
        raise translate(error, action="the restore", unchanged="the user stays deleted") from error
    return records.remember(actor, tenant, user)


def _too_late(name: str, day: str) -> NotRestorable:
    when = f" on {day}" if day else ""
    return NotRestorable(
        f"{name} was deleted{when}, more than {records.RESTORE_DAYS} days ago: Microsoft has "
        "removed the user for good, so it can no longer be restored. Create a new user instead."
    )


async def issue_user_password(source: str) -> str:
    """A new one-time password for the user named by a mail's secret source
    (`m365-user:<customer id>:<user id>`), set through Partner Center; the caller only sends
    it."""
    customer_id, _, user_id = source.removeprefix(M365_USER_SOURCE).partition(":")
    if not source.startswith(M365_USER_SOURCE) or not customer_id or not user_id:
        raise SecretUnavailable(f"unknown secret source {source!r}")
    try:
        async with partner_center() as pc:
            user = await pc.users.get(customer_id, user_id)
            upn = user.user_principal_name or ""
            names = f"{user.first_name or ''} {user.last_name or ''} {user.display_name or ''}"
            fresh = generate_password(upn, names.strip())
            await pc.users.reset_password(customer_id, user_id, SecretStr(fresh))
    except PartnerCenterError as error:
        raise SecretUnavailable(f"could not issue the user's password: {error}") from error
    return fresh
