"""The mail outbox as use cases: services enqueue messages inside their own transaction, and
brokers read the outbox (what was sent, what waits, what failed and why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.enums import MailStatus
from o365portal.db.tables.mail import OutboxMessage
from o365portal.mail.templates import Email, render_body
from o365portal.services.errors import NotAllowed
from o365portal.services.paging import window
from o365portal.services.principal import Principal


@dataclass(frozen=True)
class OutboxItem:
    """One message as brokers see it; a secret is shown as dots, never in clear."""

    id: int
    to_address: str
    subject: str
    body: str
    status: str  # queued | sending | sent | failed
    attempts: int
    last_error: str
    created_at: str  # to the minute, UTC: "2026-11-30 08:36 UTC"
    sent_at: str  # likewise; "" until it is sent


@dataclass(frozen=True)
class OutboxPage:
    """One page of the outbox, newest first, and whether SMTP delivery is on."""

    items: list[OutboxItem]
    total: int
    delivery_enabled: bool


def enqueue(session: Session, email: Email) -> OutboxMessage:
    """Queue `email` in the caller's transaction; the mail job sends it after the commit."""
    row = OutboxMessage(
        to_address=email.to_address,
        subject=email.subject,
        body_text=email.body_text,
        secret_source=email.secret_source,
    )
    session.add(row)
    return row


def list_outbox(*, actor: Principal, page: int = 1, page_size: int = 20) -> OutboxPage:
    """The outbox, newest first (brokers only)."""
    if not actor.is_broker:
        raise NotAllowed()
    query = select(OutboxMessage).order_by(col(OutboxMessage.id).desc())
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(OutboxMessage)).one()
        rows = session.exec(
            query.offset(window(page, page_size)[0]).limit(window(page, page_size)[1])
        ).all()
        items = [_item(row) for row in rows]
    return OutboxPage(items=items, total=total, delivery_enabled=get_settings().mail_enabled)


async def failed_count(*, actor: Principal) -> int:
    """How many messages were given up on (brokers; 0 for customers): a navigation badge."""
    if not actor.is_broker:
        return 0
    query = select(func.count()).where(OutboxMessage.status == MailStatus.FAILED)
    with session_scope() as session:
        return session.exec(query).one()


def _item(row: OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=row.id or 0,
        to_address=row.to_address,
        subject=row.subject,
        body=render_body(row.body_text, None),
        status=row.status.value,
        attempts=row.attempts,
        last_error=row.last_error or "",
        created_at=_minute(row.created_at),
        sent_at=_minute(row.sent_at) if row.sent_at else "",
    )


def _minute(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")
