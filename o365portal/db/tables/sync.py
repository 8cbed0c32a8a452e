"""Sync bookkeeping: per-tenant cursors, and leases that let exactly one worker run a job."""

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from o365portal.db.base import created_at_field, updated_at_field, utc_field


class SyncState(SQLModel, table=True):
    """How far sync has read one resource (subscriptions, users, ...) of one tenant."""

    __tablename__ = "sync_state"
    __table_args__ = (
        UniqueConstraint("tenant_id", "resource", name="uq_sync_state_tenant_resource"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="CASCADE")
    resource: str = Field(max_length=50)
    last_audit_record_at: datetime | None = utc_field(nullable=True)
    last_full_sync_at: datetime | None = utc_field(nullable=True)
    updated_at: datetime = updated_at_field()


class JobLease(SQLModel, table=True):
    """Who may run the job `name` until `expires_at`; taken through `db.leases` only."""

    __tablename__ = "job_lease"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    holder: str = Field(max_length=200)
    acquired_at: datetime = created_at_field()
    expires_at: datetime = utc_field()
