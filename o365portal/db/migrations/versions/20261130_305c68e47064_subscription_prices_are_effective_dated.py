"""subscription prices are effective dated

A subscription's historic sales price was one `subscription.price_override` (with its currency)
in force since the subscription started. It becomes `subscription_price`: any number of
prices per subscription, each from its `effective_from` day until the next one starts, with
the reason, who set it and when. Each existing override moves there, effective from the day
the subscription started (UTC); then the two columns and their check constraint go.

Downgrading keeps each subscription's latest price as its override; earlier periods, reasons
and authors are lost.

Revision ID: 305c68e47064
Revises: cbb6f4316e1b
Create Date: 2026-11-30 12:51:08.196297
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import o365portal.db.types

revision: str = "305c68e47064"
down_revision: str | Sequence[str] | None = "cbb6f4316e1b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIGRATED_REASON = "Historic price agreed before price periods were kept (moved from the override)."

# The rows the data steps read and write, typed so Money and instants convert on both backends.
_subscription = sa.table(
    "subscription",
    sa.column("id", sa.Integer()),
    sa.column("started_at", o365portal.db.types.UTCDateTime()),
    sa.column("price_override", o365portal.db.types.Money()),
    sa.column("price_override_currency", sa.String(3)),
)
_price = sa.table(
    "subscription_price",
    sa.column("subscription_id", sa.Integer()),
    sa.column("effective_from", sa.Date()),
    sa.column("unit_price", o365portal.db.types.Money()),
    sa.column("currency", sa.String(3)),
    sa.column("reason", sa.Text()),
    sa.column("set_by_account_id", sa.Integer()),
    sa.column("set_at", o365portal.db.types.UTCDateTime()),
)


def upgrade() -> None:
    op.create_table(
        "subscription_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("unit_price", o365portal.db.types.Money(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by_account_id", sa.Integer(), nullable=True),
        sa.Column("set_at", o365portal.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_account_id"],
            ["portal_account.id"],
            name=op.f("fk_subscription_price_set_by_account_id_portal_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscription.id"],
            name=op.f("fk_subscription_price_subscription_id_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_price")),
        sa.UniqueConstraint(
            "subscription_id", "effective_from", name="uq_subscription_price_subscription_from"
        ),
    )
    with op.batch_alter_table("subscription_price", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscription_price_subscription_id"), ["subscription_id"], unique=False
        )

    _move_overrides_to_prices()

    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_subscription_price_override_currency"), type_="check")
        batch_op.drop_column("price_override")
        batch_op.drop_column("price_override_currency")


def _move_overrides_to_prices() -> None:
    connection = op.get_bind()
    overrides = connection.execute(
        sa.select(
            _subscription.c.id,
            _subscription.c.started_at,
            _subscription.c.price_override,
            _subscription.c.price_override_currency,
        ).where(_subscription.c.price_override.is_not(None))
    ).all()
    now = datetime.now(UTC)
    rows = [
        {
            "subscription_id": subscription_id,
            "effective_from": started_at.date(),
            "unit_price": amount,
            "currency": currency,
            "reason": MIGRATED_REASON,
            "set_by_account_id": None,
            "set_at": now,
        }
        for subscription_id, started_at, amount, currency in overrides
    ]
    if rows:
        connection.execute(sa.insert(_price), rows)


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "price_override_currency",
                sqlmodel.sql.sqltypes.AutoString(length=3),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("price_override", o365portal.db.types.Money(), nullable=True))
        batch_op.create_check_constraint(
            "price_override_currency",
            "(price_override IS NULL) = (price_override_currency IS NULL)",
        )

    _keep_latest_price_as_override()

    with op.batch_alter_table("subscription_price", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscription_price_subscription_id"))

    op.drop_table("subscription_price")


def _keep_latest_price_as_override() -> None:
    connection = op.get_bind()
    prices = connection.execute(
        sa.select(_price.c.subscription_id, _price.c.unit_price, _price.c.currency).order_by(
            _price.c.subscription_id, _price.c.effective_from
        )
    ).all()
    latest = {subscription_id: (amount, currency) for subscription_id, amount, currency in prices}
    for subscription_id, (amount, currency) in latest.items():
        connection.execute(
            sa.update(_subscription)
            .where(_subscription.c.id == subscription_id)
            .values(price_override=amount, price_override_currency=currency)
        )
