"""Fixtures and builders of the pricing service tests (imported by test_pricing*.py only).

`pricing_database` makes the session's migrated database the services' DATABASE_URL;
`pricing_sandbox` makes the session's in-process sandbox the portal's Partner Center for a test;
`sandbox_catalog` refreshes the catalog from it once. Builders add catalog rows with unique ids,
so tests never share prices on the shared database.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.pricing import MicrosoftCost
from o365portal.services.partner_center import use_partner_center
from o365portal.services.pricing import _catalog as catalog
from o365portal.services.pricing._store import CatalogItemRef, start_of
from tests.builders import Account, new_broker, unique
from tests.fakes.partner_center import PartnerCenterFake


def _set_environment(**values: str | None) -> dict[str, str | None]:
    before = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    get_settings.cache_clear()
    return before


@pytest.fixture(scope="session", name="pricing_database")
def _pricing_database(database_url: str) -> Iterator[str]:
    """The session's migrated database, made the services' DATABASE_URL."""
    before = _set_environment(DATABASE_URL=database_url)
    yield database_url
    _set_environment(**before)


@pytest.fixture(name="pricing_sandbox")
def _pricing_sandbox(sandbox: PartnerCenterFake) -> Iterator[PartnerCenterFake]:
    """The session's in-process sandbox, made the portal's Partner Center during the test."""
    with use_partner_center(sandbox.client):
        yield sandbox


@pytest.fixture(scope="session", name="broker")
def _broker(pricing_database: str) -> Account:
    """A broker staff account."""
    return new_broker()


@pytest.fixture(scope="session", name="sandbox_catalog")
def _sandbox_catalog(
    pricing_database: str, sandbox: PartnerCenterFake, broker: Account
) -> catalog.CatalogRefreshResult:
    """The catalog cache refreshed once from the sandbox."""
    with use_partner_center(sandbox.client):
        return asyncio.run(catalog.refresh_catalog(actor=broker.principal))


def new_catalog_item(
    term: str = "P1Y",
    billing_cycle: str = "monthly",
    title: str = "Test Suite",
    category: str = "Tests",
) -> CatalogItemRef:
    """A catalog row with unique ids (so tests never share prices)."""
    ref = CatalogItemRef(unique("PT"), "0001", unique("AV"), term, billing_cycle)
    with session_scope() as session:
        session.add(
            CatalogItem(
                **ref.__dict__,
                title=f"{title} {ref.product_id}",
                category=category,
                product_group="Business",
                max_quantity=300,
                refreshed_at=datetime.now(UTC),
            )
        )
    return ref


def add_cost(ref: CatalogItemRef, amount: str, day: str, currency: str = "USD") -> None:
    """A Microsoft cost entry for `ref` from `day` (YYYY-MM-DD)."""
    with session_scope() as session:
        session.add(
            MicrosoftCost(
                **ref.__dict__,
                unit_cost=Decimal(amount),
                currency=currency,
                effective_from=start_of(date.fromisoformat(day)),
            )
        )
