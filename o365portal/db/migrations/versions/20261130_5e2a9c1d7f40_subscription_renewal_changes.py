"""A subscription remembers the changes Partner Center will apply at its renewal.

Revision ID: 5e2a9c1d7f40
Revises: 305c68e47064
Create Date: 2026-11-30 13:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e2a9c1d7f40"
down_revision: str | Sequence[str] | None = "305c68e47064"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscription") as batch:
        batch.add_column(sa.Column("renewal_changes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscription") as batch:
        batch.drop_column("renewal_changes")
