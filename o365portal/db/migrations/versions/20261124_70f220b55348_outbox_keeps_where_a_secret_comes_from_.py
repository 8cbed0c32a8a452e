"""outbox keeps where a secret comes from, never the secret

The outbox used to hold a tenant administrator's one-time password until the message was
sent; it now holds only where the password comes from (`tenant-admin:<customer id>`) and the
mail job issues a fresh one at send time. Upgrading drops every stored password.

Revision ID: 70f220b55348
Revises: 8cb0877278bb
Create Date: 2026-11-24 16:17:32.874729
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "70f220b55348"
down_revision: str | Sequence[str] | None = "8cb0877278bb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("secret_source", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True)
        )
        batch_op.drop_column("secret")


def downgrade() -> None:
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.VARCHAR(length=256), nullable=True))
        batch_op.drop_column("secret_source")
