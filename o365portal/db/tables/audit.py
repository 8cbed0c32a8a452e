"""The portal's audit log: who did what to which entity, beyond subscription history."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from o365portal.db.base import created_at_field


class AuditLogEntry(SQLModel, table=True):
    """One action by a portal account (or the system when `actor_account_id` is empty)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    action: str = Field(max_length=100)  # e.g. organization.create, price_list.update
    entity: str = Field(max_length=50)  # e.g. organization, portal_account
    entity_id: str = Field(max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    at: datetime = created_at_field(index=True)
