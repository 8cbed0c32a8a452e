"""Sync with Partner Center: cursors, tenant status, runs, drift alerts, customers, SKUs.

The audit-log cursor per resource type, each tenant's last incremental/full sync and error, the
sync runs with their progress, drift alerts (both values, who changed what, how it was
resolved), the broker's Partner Center customers (unlinked tenants are those no tenant names),
subscribed-SKU counts per tenant; a subscription keeps the Partner Center values it last agreed
with (`pc_values`) and when it was synced; a user when it was soft-deleted. `sync_state`, never
written, gives way to `tenant_sync`.

Revision ID: cbb6f4316e1b
Revises: 69ed771b2dd5
Create Date: 2026-11-30 10:06:59.892717
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import o365portal.db.types

revision: str = "cbb6f4316e1b"
down_revision: str | Sequence[str] | None = "69ed771b2dd5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("company_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("domain", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("relationship", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("seen_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_customer")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_partner_customer_customer_id")),
    )
    op.create_table(
        "sync_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("record_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.Column("record_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("updated_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_cursor")),
        sa.UniqueConstraint("resource", name=op.f("uq_sync_cursor_resource")),
    )
    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("started_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_run")),
    )
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_run_started_at"), ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_run_status"), ["status"], unique=False)

    op.create_table(
        "drift_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("portal_value", sa.JSON(), nullable=True),
        sa.Column("partner_center_value", sa.JSON(), nullable=True),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("changed_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.Column("raised_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("resolved_by_account_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resolved_by_account_id"],
            ["portal_account.id"],
            name=op.f("fk_drift_alert_resolved_by_account_id_portal_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_drift_alert_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drift_alert")),
    )
    with op.batch_alter_table("drift_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drift_alert_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_drift_alert_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "subscribed_sku",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("sku_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("sku_part_number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("active_units", sa.Integer(), nullable=False),
        sa.Column("consumed_units", sa.Integer(), nullable=False),
        sa.Column("available_units", sa.Integer(), nullable=False),
        sa.Column("suspended_units", sa.Integer(), nullable=False),
        sa.Column("warning_units", sa.Integer(), nullable=False),
        sa.Column("synced_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_subscribed_sku_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscribed_sku")),
        sa.UniqueConstraint("tenant_id", "sku_id", name="uq_subscribed_sku_tenant_sku"),
    )
    op.create_table(
        "tenant_sync",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("last_incremental_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.Column("last_full_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_tenant_sync_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_sync")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_tenant_sync_tenant_id")),
    )
    op.drop_table("sync_state")
    with op.batch_alter_table("m365_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("soft_deleted_at", o365portal.db.types.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pc_values", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("synced_at", o365portal.db.types.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_column("synced_at")
        batch_op.drop_column("pc_values")

    with op.batch_alter_table("m365_user", schema=None) as batch_op:
        batch_op.drop_column("soft_deleted_at")

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("resource", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("last_audit_record_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.Column("last_full_sync_at", o365portal.db.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenant.id"],
            name=op.f("fk_sync_state_tenant_id_tenant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
        sa.UniqueConstraint("tenant_id", "resource", name=op.f("uq_sync_state_tenant_resource")),
    )
    op.drop_table("tenant_sync")
    op.drop_table("subscribed_sku")
    with op.batch_alter_table("drift_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drift_alert_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_drift_alert_status"))

    op.drop_table("drift_alert")
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_run_status"))
        batch_op.drop_index(batch_op.f("ix_sync_run_started_at"))

    op.drop_table("sync_run")
    op.drop_table("sync_cursor")
    op.drop_table("partner_customer")
