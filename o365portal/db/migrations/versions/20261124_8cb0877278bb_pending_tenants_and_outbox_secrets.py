"""Pending tenants and outbox secrets.

A tenant row is now written before Partner Center is asked to create the customer, so its
customer id may be NULL while pending. Outbox messages carry a one-time secret beside the body,
erased once sent.

Revision ID: 8cb0877278bb
Revises: 6ac778ab82de
Create Date: 2026-11-24 15:37:27.654242
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "8cb0877278bb"
down_revision: str | Sequence[str] | None = "6ac778ab82de"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("secret", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True)
        )
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.alter_column("customer_id", existing_type=sa.VARCHAR(length=36), nullable=True)


def downgrade() -> None:
    # Pending tenants have no customer id yet; they cannot survive the NOT NULL column.
    op.execute("DELETE FROM tenant WHERE customer_id IS NULL")
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.alter_column("customer_id", existing_type=sa.VARCHAR(length=36), nullable=False)
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_column("secret")
