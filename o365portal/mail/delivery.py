"""The mail job's work: send the outbox messages that are due, retrying with back-off.

A failed attempt waits `base * 2**(attempt-1)` seconds (at most `max_seconds`) before the next;
after `max_attempts` the message is marked failed (brokers see it with its last error). A
message with a `secret_source` gets its secret from the `resolve` callback just before sending,
once the SMTP server has answered (no password is reset while SMTP is down); the secret lives
in memory only. Call `deliver_due` only while holding the mail job's lease.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import MailStatus
from o365portal.db.tables.mail import OutboxMessage
from o365portal.mail.smtp import DeliveryError, SmtpServer, build_message, check
from o365portal.mail.templates import render_body

Sender = Callable[[SmtpServer, EmailMessage], Awaitable[None]]
SecretResolver = Callable[[str], Awaitable[str]]
BATCH_SIZE = 20


class SecretUnavailable(Exception):
    """The secret a message needs could not be issued now; `str()` says why (retried later)."""


async def _no_secrets(source: str) -> str:
    raise SecretUnavailable(f"no way to issue the secret {source!r}")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is retried."""

    max_attempts: int
    base_seconds: float
    max_seconds: float = 900.0  # the back-off stops growing here, so mail soon follows SMTP back

    def wait_after(self, attempts: int) -> timedelta:
        """The pause after the `attempts`-th failed attempt."""
        doubled = self.base_seconds * 2 ** min(attempts - 1, 32)
        return timedelta(seconds=min(doubled, self.max_seconds))


@dataclass(frozen=True)
class DeliveryReport:
    """What one round did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


async def deliver_due(
    *,
    server: SmtpServer,
    policy: RetryPolicy,
    now: datetime,
    send: Sender,
    resolve: SecretResolver = _no_secrets,
) -> DeliveryReport:
    """Send every queued message whose next attempt is due (oldest first, one batch)."""
    outcomes: list[MailStatus] = []
    for message_id in _due_ids(now):
        outcomes.append(await _attempt(message_id, server, policy, now, send, resolve))
    return DeliveryReport(
        sent=outcomes.count(MailStatus.SENT),
        retrying=outcomes.count(MailStatus.QUEUED),
        failed=outcomes.count(MailStatus.FAILED),
    )


def _due_ids(now: datetime) -> list[int]:
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(BATCH_SIZE)
    )
    with session_scope() as session:
        return [message_id for message_id in session.exec(query).all() if message_id]


async def _attempt(
    message_id: int,
    server: SmtpServer,
    policy: RetryPolicy,
    now: datetime,
    send: Sender,
    resolve: SecretResolver,
) -> MailStatus:
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        if row is None or row.status is not MailStatus.QUEUED:
            return MailStatus.SENDING
        to_address, subject, body_text, source = (
            row.to_address,
            row.subject,
            row.body_text,
            row.secret_source,
        )
    try:
        secret = None
        if source:  # issuing a secret resets a password: only when the mail can go out now
            await check(server)
            secret = await resolve(source)
        email = build_message(server, to_address, subject, render_body(body_text, secret))
        await send(server, email)
    except (DeliveryError, SecretUnavailable) as error:
        return _record_failure(message_id, str(error), policy, now)
    return _record_success(message_id, now)


def _record_success(message_id: int, now: datetime) -> MailStatus:
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        row.status, row.sent_at, row.last_error = MailStatus.SENT, now, None
        row.secret_source = None
        row.attempts += 1
        session.add(row)
    return MailStatus.SENT


def _record_failure(message_id: int, error: str, policy: RetryPolicy, now: datetime) -> MailStatus:
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        row.attempts += 1
        row.last_error = error[:2000]
        if row.attempts >= policy.max_attempts:
            row.status, row.secret_source = MailStatus.FAILED, None
        else:
            row.next_attempt_at = now + policy.wait_after(row.attempts)
        session.add(row)
        return row.status
