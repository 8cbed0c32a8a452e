"""The mail outbox: messages waiting to be sent, being sent, sent or given up on.

Services write a row in the same transaction as the change it reports; the delivery job
sends it later and retries with back-off (`next_attempt_at`). A message that carries a
one-time secret (a tenant administrator's password) stores only where that secret comes from
(`secret_source`): the delivery job obtains a fresh secret at send time and keeps it in memory
only, so the portal never stores the secret itself.
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
    # Where the {secret} of the body comes from at send time, e.g. "tenant-admin:<customer id>"
    # (a new administrator password is issued then); cleared once sent or given up on.
    secret_source: str | None = Field(default=None, max_length=256)
    status: MailStatus = Field(default=MailStatus.QUEUED, sa_type=enum_type(MailStatus))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = created_at_field()
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = utc_field(nullable=True)
