"""Sending one message over SMTP (stdlib smtplib in a worker thread), from the settings."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from o365portal.config import Settings

TIMEOUT_SECONDS = 30


class DeliveryError(Exception):
    """The SMTP server could not be reached or refused the message; `str()` says why."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send."""

    host: str
    port: int
    tls: str  # starttls | ssl | none
    username: str | None
    password: str | None
    sender: str

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpServer:
        """The configured server; call only when `settings.mail_enabled`."""
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            host=settings.smtp_host or "",
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=password,
            sender=settings.mail_from,
        )


def build_message(server: SmtpServer, to_address: str, subject: str, body: str) -> EmailMessage:
    """A plain-text RFC 5322 message."""
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = to_address
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="o365portal")
    message.set_content(body)
    return message


async def send(server: SmtpServer, message: EmailMessage) -> None:
    """Send `message`; raise DeliveryError on any SMTP or network failure."""
    try:
        await asyncio.to_thread(_send_blocking, server, message)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


async def check(server: SmtpServer) -> None:
    """Greet the server and sign in without sending; raise DeliveryError if that fails."""
    try:
        await asyncio.to_thread(_send_blocking, server, None)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


def _send_blocking(server: SmtpServer, message: EmailMessage | None) -> None:
    context = ssl.create_default_context()
    if server.tls == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host, server.port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    with connection:
        if server.tls == "starttls":
            connection.starttls(context=context)
        if server.username:
            connection.login(server.username, server.password or "")
        if message is None:
            connection.noop()
        else:
            connection.send_message(message)
