"""The portal's e-mails as plain text. A secret appears as `{secret}` and is filled in only
when the message is sent, from its `secret_source` (see db/tables/mail.py)."""

from __future__ import annotations

from dataclasses import dataclass

SECRET_MARK = "{secret}"
TENANT_ADMIN_SOURCE = "tenant-admin:"


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


def render_body(body_text: str, secret: str | None, *, hidden: str = "••••••••") -> str:
    """The body with its secret filled in (for sending) or hidden (for showing)."""
    return body_text.replace(SECRET_MARK, secret if secret is not None else hidden)
