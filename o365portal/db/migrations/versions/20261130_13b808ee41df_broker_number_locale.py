"""broker number locale

`broker_settings.number_locale`: the CLDR locale (e.g. `de_DE`) whose decimal and group signs
prices are typed, imported and shown in (docs/pricing.md). An existing settings row gets
`en_US`, the format the portal used so far.

Revision ID: 13b808ee41df
Revises: c0b9b3eacbea
Create Date: 2026-11-30 07:26:03.683423
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "13b808ee41df"
down_revision: str | Sequence[str] | None = "c0b9b3eacbea"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broker_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "number_locale",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                server_default="en_US",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("broker_settings", schema=None) as batch_op:
        batch_op.drop_column("number_locale")
