"""portal clock offset and scheduled order cart id

A singleton `portal_clock` row holds the business-time offset that development and test
portals honour (services/clock.py); `scheduled_order.cart_id` remembers the Partner Center
cart of a scheduled order so a retried checkout returns the same order. Both are plain
additive changes, identical on SQLite and PostgreSQL.

Revision ID: 6ac778ab82de
Revises: 3142ea45a773
Create Date: 2026-11-24 15:37:17.294318
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import o365portal.db.types

revision: str = "6ac778ab82de"
down_revision: str | Sequence[str] | None = "3142ea45a773"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offset_seconds", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_portal_clock_singleton")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_clock")),
    )
    with op.batch_alter_table("scheduled_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cart_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduled_order", schema=None) as batch_op:
        batch_op.drop_column("cart_id")

    op.drop_table("portal_clock")
