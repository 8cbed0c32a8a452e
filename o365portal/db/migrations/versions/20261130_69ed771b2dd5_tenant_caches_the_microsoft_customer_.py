"""Tenant caches the Microsoft Customer Agreement status.

Partner Center refuses purchases until the customer accepted the MCA; a linked tenant may or
may not have. The tenant row keeps what Partner Center last said (when accepted, by whom) and
when the portal asked. Existing rows start as "never asked": the next read fills them.

Revision ID: 69ed771b2dd5
Revises: c5613bd10ff0
Create Date: 2026-11-30 07:35:34.704625
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import o365portal.db.types

revision: str = "69ed771b2dd5"
down_revision: str | Sequence[str] | None = "c5613bd10ff0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mca_accepted_at", o365portal.db.types.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "mca_signer_name", sqlmodel.sql.sqltypes.AutoString(length=201), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "mca_signer_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("mca_checked_at", o365portal.db.types.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.drop_column("mca_checked_at")
        batch_op.drop_column("mca_signer_email")
        batch_op.drop_column("mca_signer_name")
        batch_op.drop_column("mca_accepted_at")
