"""The mail outbox: messages waiting to be sent, being sent, sent or given up on.

Services write a row in the same transaction as the change it reports; the delivery job
sends it later and retries with back-off (`next_attempt_at`). A one-time secret travels in
`secret`, never in the body, and is erased once the message is sent or given up on.
"""

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from o365portal.db.base import EMAIL_LENGTH, created_at_field, enum_type, utc_field
from o365portal.db.enums import MailStatus


class OutboxMessage(SQLModel, table=True):
    """One e-mail to one recipient."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next_attempt", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=EMAIL_LENGTH)
    subject: str = Field(max_length=998)  # RFC 5322 line limit
    body_text: str = Field(sa_type=Text)
    body_html: str | None = Field(default=None, sa_type=Text)
    # A one-time secret (e.g. a new admin password) put into the body as {secret} only when
    # sending; cleared once the message is sent or given up on, so the portal keeps no copy.
    secret: str | None = Field(default=None, max_length=256)
    status: MailStatus = Field(default=MailStatus.QUEUED, sa_type=enum_type(MailStatus))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = created_at_field()
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = utc_field(nullable=True)
