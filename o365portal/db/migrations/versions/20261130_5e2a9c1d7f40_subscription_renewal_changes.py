"""A subscription remembers the changes Partner Center will apply at its renewal, and an add-on
the subscription it was ordered for.

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
        batch.add_column(sa.Column("base_subscription_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_subscription_base_subscription_id_subscription"),
            "subscription",
            ["base_subscription_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("subscription") as batch:
        batch.drop_constraint(
            op.f("fk_subscription_base_subscription_id_subscription"), type_="foreignkey"
        )
        batch.drop_column("base_subscription_id")
        batch.drop_column("renewal_changes")
