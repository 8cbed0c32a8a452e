"""Backing up and restoring PostgreSQL as docs/operations.md tells brokers to: `pg_dump
--format=custom`, then `pg_restore` into an empty database. Every table's rows come back the
same, the schema is at head, and the billing report's triggers work in the copy."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from o365portal.db.engine import get_engine, session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.migrate import current_revision, head_revision, upgrade
from o365portal.db.tables import Subscription, SubscriptionHistory
from tests.databases import fresh_postgres_database
from tests.integration.db.rows import NOW, add_broker_account, add_tenant, new_subscription

pytestmark = pytest.mark.postgres


def _libpq(database_url: str) -> str:
    """The URL as pg_dump and pg_restore take it."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _contents(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a stable order."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables] + ["alembic_version"]
    with get_engine(database_url).connect() as connection:
        return {
            name: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))),
                key=repr,
            )
            for name in tables
        }


def _filled(database_url: str) -> int:
    """A broker, an organization with a tenant and a subscription with some history."""
    with session_scope(database_url) as session:
        add_broker_account(session)
        subscription = new_subscription(add_tenant(session))
        session.add(subscription)
        session.flush()
        for days, quantity in ((0, 15), (3, 18)):
            session.add(
                SubscriptionHistory(
                    subscription_id=subscription.id or 0, origin=ChangeOrigin.PORTAL,
                    at=NOW + timedelta(days=days), action="quantity",
                    after={"quantity": quantity},
                )
            )  # fmt: skip
        return subscription.id or 0


def test_a_dump_restores_every_row_and_the_triggers(
    postgres_server_url: str, tmp_path: Path
) -> None:
    dump = tmp_path / "o365portal.dump"
    with (
        fresh_postgres_database(postgres_server_url) as source,
        fresh_postgres_database(postgres_server_url) as copy,
    ):
        upgrade(source)
        subscription_id = _filled(source)
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source)],
            check=True,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(copy)}", dump],
            check=True,
        )

        assert _contents(copy) == _contents(source)
        assert current_revision(copy) == head_revision()
        with session_scope(copy) as session:
            before = session.get(Subscription, subscription_id)
            assert before is not None
            stamp = before.billing_stamp
            session.add(
                SubscriptionHistory(
                    subscription_id=subscription_id, origin=ChangeOrigin.PORTAL,
                    at=NOW + timedelta(days=5), action="quantity", after={"quantity": 20},
                )
            )  # fmt: skip
        with session_scope(copy) as session:
            after = session.get(Subscription, subscription_id)
            assert after is not None and after.billing_stamp == stamp + 1
