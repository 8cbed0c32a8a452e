"""Orders recorded while Microsoft provisions them.

A subscription row is now written when the order is placed, before Partner Center has
provisioned it: its Partner Center subscription id and term end are NULL until then, its status
is `provisioning` (or `failed`, with `last_error`), and `cart_id` keeps the cart so a checkout
whose answer was lost can be repeated. `status` gets an index: the provisioning job looks for
the rows still waiting every few seconds.

Revision ID: c0b9b3eacbea
Revises: 70f220b55348
Create Date: 2026-11-30 07:24:28.000315
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import o365portal.db.types

revision: str = "c0b9b3eacbea"
down_revision: str | Sequence[str] | None = "70f220b55348"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNPROVISIONED = (
    "SELECT id FROM subscription WHERE pc_subscription_id IS NULL OR term_end_at IS NULL"
)


def upgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cart_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.alter_column(
            "pc_subscription_id", existing_type=sa.VARCHAR(length=36), nullable=True
        )
        batch_op.alter_column(
            "term_end_at", existing_type=o365portal.db.types.UTCDateTime(), nullable=True
        )
        batch_op.create_index(batch_op.f("ix_subscription_status"), ["status"], unique=False)


def downgrade() -> None:
    # Orders Microsoft has not provisioned have no subscription id; they cannot survive the
    # NOT NULL columns (their lots and history go with them; a scheduled order forgets them).
    op.execute(f"DELETE FROM seat_lot WHERE subscription_id IN ({_UNPROVISIONED})")
    op.execute(f"DELETE FROM subscription_history WHERE subscription_id IN ({_UNPROVISIONED})")
    op.execute(
        "UPDATE scheduled_order SET placed_subscription_id = NULL "
        f"WHERE placed_subscription_id IN ({_UNPROVISIONED})"
    )
    op.execute(f"DELETE FROM subscription WHERE id IN ({_UNPROVISIONED})")
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscription_status"))
        batch_op.alter_column(
            "term_end_at", existing_type=o365portal.db.types.UTCDateTime(), nullable=False
        )
        batch_op.alter_column(
            "pc_subscription_id", existing_type=sa.VARCHAR(length=36), nullable=False
        )
        batch_op.drop_column("last_error")
        batch_op.drop_column("cart_id")
