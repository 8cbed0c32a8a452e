"""The portal's e-mails as plain text. A secret appears as `{secret}` and is filled in only
when the message is sent, from its `secret_source` (see db/tables/mail.py)."""

from __future__ import annotations

from dataclasses import dataclass

SECRET_MARK = "{secret}"
TENANT_ADMIN_SOURCE = "tenant-admin:"
M365_USER_SOURCE = "m365-user:"  # m365-user:<customer id>:<user id>
PORTAL_ACCOUNT_SOURCE = "portal-account:"  # portal-account:<account id>


@dataclass(frozen=True)
class Email:
    """A message ready for the outbox."""

    to_address: str
    subject: str
    body_text: str
    secret_source: str | None = None


def tenant_credentials(
    *, to_address: str, contact_name: str, company_name: str, user_name: str, customer_id: str
) -> Email:
    """The new tenant's administrator sign-in, sent to the organization's contact; the
    one-time password is issued when the message is sent."""
    body = "\n".join(
        [
            f"Hello {contact_name},",
            "",
            f"The Microsoft 365 tenant of {company_name} is ready.",
            "Sign in at https://portal.office.com with:",
            "",
            f"  User name: {user_name}",
            f"  One-time password: {SECRET_MARK}",
            "",
            "You will be asked to choose a new password when you first sign in.",
            "This password is not kept by the portal; if it is lost, ask us to reset it.",
        ]
    )
    return Email(
        to_address=to_address,
        subject=f"Your Microsoft 365 administrator account for {company_name}",
        body_text=body,
        secret_source=TENANT_ADMIN_SOURCE + customer_id,
    )


def m365_user_credentials(
    *,
    to_address: str,
    display_name: str,
    user_name: str,
    company_name: str,
    customer_id: str,
    user_id: str,
    reset: bool = False,
) -> Email:
    """A Microsoft 365 user's sign-in (a new user, or a reset password); the one-time password
    is issued when the message is sent."""
    opening = (
        f"The password of the Microsoft 365 account {user_name} at {company_name} was reset."
        if reset
        else f"A Microsoft 365 account at {company_name} was created for {display_name}."
    )
    body = "\n".join(
        [
            "Hello,",
            "",
            opening,
            "Sign in at https://portal.office.com with:",
            "",
            f"  User name: {user_name}",
            f"  One-time password: {SECRET_MARK}",
            "",
            "You will be asked to choose a new password when you first sign in.",
            "This password is not kept by the portal; if it is lost, ask for a reset.",
        ]
    )
    subject = "new password" if reset else "account"
    return Email(
        to_address=to_address,
        subject=f"Your Microsoft 365 {subject} at {company_name}",
        body_text=body,
        secret_source=f"{M365_USER_SOURCE}{customer_id}:{user_id}",
    )


def portal_account_credentials(
    *,
    to_address: str,
    sign_in_email: str,
    name: str,
    company_name: str,
    account_id: int,
    portal_url: str,
) -> Email:
    """A new customer portal account's sign-in; its password is issued when the message is
    sent."""
    body = "\n".join(
        [
            f"Hello {name},",
            "",
            f"You now have an account in the Microsoft 365 portal of {company_name}.",
            f"Sign in at {portal_url} with:",
            "",
            f"  E-mail: {sign_in_email}",
            f"  Password: {SECRET_MARK}",
            "",
            "The portal does not keep this password; if it is lost, ask for a new one.",
        ]
    )
    return Email(
        to_address=to_address,
        subject=f"Your portal account for {company_name}",
        body_text=body,
        secret_source=f"{PORTAL_ACCOUNT_SOURCE}{account_id}",
    )


def render_body(body_text: str, secret: str | None, *, hidden: str = "••••••••") -> str:
    """The body with its secret filled in (for sending) or hidden (for showing)."""
    return body_text.replace(SECRET_MARK, secret if secret is not None else hidden)
