"""Approval requests: customer transactions waiting for the broker's decision."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from o365portal.db.base import created_at_field, enum_type, utc_field
from o365portal.db.enums import ApprovalKind, ApprovalStatus


class ApprovalRequest(SQLModel, table=True):
    """A request (order, quantity change, add-on) and, once decided, who decided and why."""

    __tablename__ = "approval_request"
    __table_args__ = (
        Index("ix_approval_request_status_organization", "status", "organization_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    requested_by_account_id: int = Field(foreign_key="portal_account.id")
    kind: ApprovalKind = Field(sa_type=enum_type(ApprovalKind))
    # The service request to run on approval, as validated when it was submitted.
    payload: dict[str, Any] = Field(sa_type=JSON)
    status: ApprovalStatus = Field(
        default=ApprovalStatus.PENDING, sa_type=enum_type(ApprovalStatus)
    )
    requested_at: datetime = created_at_field()
    decided_by_account_id: int | None = Field(
        default=None, foreign_key="portal_account.id", ondelete="SET NULL"
    )
    decided_at: datetime | None = utc_field(nullable=True)
    comment: str | None = Field(default=None, sa_type=Text)
