"""Sync with Partner Center: where the audit log was read up to, each tenant's sync status, the
runs (with progress while a full import goes on), drift alerts, the broker's Partner Center
customers, and the leases that let exactly one worker run a job.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from o365portal.db.base import (
    GUID_LENGTH,
    TITLE_LENGTH,
    created_at_field,
    updated_at_field,
    utc_field,
)


class SyncCursor(SQLModel, table=True):
    """The last audit record applied for one audit resource type (`subscription`, ...).

    Written in the same transaction as the changes that record caused, so a pass killed at any
    point resumes after the last record whose changes were committed."""

    __tablename__ = "sync_cursor"

    id: int | None = Field(default=None, primary_key=True)
    resource: str = Field(max_length=50, unique=True)
    record_at: datetime = utc_field()
    record_id: str = Field(max_length=200)
    updated_at: datetime = updated_at_field()


class TenantSync(SQLModel, table=True):
    """One tenant's sync status: when it was last brought up to date, and the last error."""

    __tablename__ = "tenant_sync"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="CASCADE", unique=True)
    last_incremental_at: datetime | None = utc_field(nullable=True)
    last_full_at: datetime | None = utc_field(nullable=True)
    last_error: str | None = Field(default=None, sa_type=Text)
    last_error_at: datetime | None = utc_field(nullable=True)


class SyncRun(SQLModel, table=True):
    """One sync pass: incremental, full, or of one tenant; its progress and outcome."""

    __tablename__ = "sync_run"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # incremental | full | tenant
    status: str = Field(max_length=20, index=True)  # running | done | failed
    started_at: datetime = created_at_field(index=True)
    finished_at: datetime | None = utc_field(nullable=True)
    total: int = 0  # customers to visit (a full pass), records to apply (incremental)
    done: int = 0
    changes: int = 0
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    error: str | None = Field(default=None, sa_type=Text)


class DriftAlert(SQLModel, table=True):
    """Partner Center holds another value than the portal expected (a change the portal made or
    has pending); nothing was overwritten. A broker accepts Partner Center's value, re-applies
    the portal's, or dismisses it."""

    __tablename__ = "drift_alert"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="CASCADE", index=True)
    entity: str = Field(max_length=30)  # subscription
    entity_id: int
    field: str = Field(max_length=50)
    portal_value: Any = Field(default=None, sa_type=JSON, nullable=True)
    partner_center_value: Any = Field(default=None, sa_type=JSON, nullable=True)
    changed_by: str | None = Field(default=None, max_length=TITLE_LENGTH)
    changed_at: datetime | None = utc_field(nullable=True)
    raised_at: datetime = created_at_field()
    status: str = Field(default="open", max_length=20, index=True)
    resolved_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    resolved_at: datetime | None = utc_field(nullable=True)


class PartnerCustomer(SQLModel, table=True):
    """A Partner Center customer of the broker as sync last saw it (linked to an organization
    or not: the unlinked tenants are the ones no tenant row names)."""

    __tablename__ = "partner_customer"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(max_length=GUID_LENGTH, unique=True)
    company_name: str = Field(max_length=TITLE_LENGTH)
    domain: str = Field(max_length=255)
    relationship: str = Field(max_length=30)
    seen_at: datetime = utc_field()


class JobLease(SQLModel, table=True):
    """Who may run the job `name` until `expires_at`; taken through `db.leases` only."""

    __tablename__ = "job_lease"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    holder: str = Field(max_length=200)
    acquired_at: datetime = created_at_field()
    expires_at: datetime = utc_field()
