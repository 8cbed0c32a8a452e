"""history names the price entry charged

`subscription_history.price_list_entry_id`: the price list entry an order's unit price was
charged at. A price entered for today may be corrected the same day only while no history row
names it (docs/pricing.md); the foreign key refuses deleting an entry that was charged.
Existing rows stay empty (nothing recorded which entry they came from).

Revision ID: c5613bd10ff0
Revises: 13b808ee41df
Create Date: 2026-11-30 07:27:45.860944
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5613bd10ff0"
down_revision: str | Sequence[str] | None = "13b808ee41df"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscription_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("price_list_entry_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_subscription_history_price_list_entry_id"),
            ["price_list_entry_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_subscription_history_price_list_entry_id_price_list_entry"),
            "price_list_entry",
            ["price_list_entry_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("subscription_history", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_subscription_history_price_list_entry_id_price_list_entry"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_subscription_history_price_list_entry_id"))
        batch_op.drop_column("price_list_entry_id")
