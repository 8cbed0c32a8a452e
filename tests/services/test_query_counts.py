"""The list pages' service calls read with as many SQL statements for 30 rows as for 3: no query
per row (the subscriptions list: tests/services/test_subscription_table.py). Deterministic,
unlike the timings `make bench` prints (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.tables.m365_users import LicenceAssignment, M365User
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock, organizations, users
from o365portal.services.pricing import PriceFilters, price_editor_page
from o365portal.services.pricing import _lists as price_lists
from tests.builders import Account, link_tenant, new_broker, new_organization, unique
from tests.services.pricing_support import add_cost, new_catalog_item
from tests.services.statements import counting_statements

pytestmark = pytest.mark.usefixtures("portal_env")

FEW, MANY = 3, 30


@pytest.fixture
def broker() -> Account:
    """A broker staff account."""
    return new_broker()


def _statements(arrange: Callable[[int], Callable[[], int]]) -> list[int]:
    """The statements the read `arrange(size)` returns issues, for FEW and for MANY rows (the
    read returns how many rows it read: all of them)."""
    counts = []
    for size in (FEW, MANY):
        read = arrange(size)
        with counting_statements() as statements:
            assert read() == size
        counts.append(len(statements))
    return counts


def test_the_organizations_list_reads_no_query_per_organization(broker: Account) -> None:
    def arrange(size: int) -> Callable[[], int]:
        prefix = unique("Counted ")
        for number in range(size):
            new_organization(broker.principal, company_name=f"{prefix} {number:02} Ltd")
        return lambda: len(
            organizations.search_organizations(
                actor=broker.principal, query=prefix, page_size=MANY
            ).items
        )

    few, many = _statements(arrange)
    assert few == many


def test_the_users_list_reads_no_query_per_user(broker: Account) -> None:
    """Every other user licensed, as sync stores them."""

    def arrange(size: int) -> Callable[[], int]:
        org = new_organization(broker.principal)
        link_tenant(org.id, f"{unique('counted')}.onmicrosoft.com")
        now = datetime.now(UTC)
        with session_scope() as session:
            tenant = session.exec(select(Tenant).where(Tenant.organization_id == org.id)).one()
            for number in range(size):
                user = M365User(
                    tenant_id=tenant.id or 0,
                    pc_user_id=str(uuid4()),
                    user_principal_name=f"user{number:02}@{tenant.domain}",
                    display_name=f"User {number:02}",
                    usage_location="US",
                    synced_at=now,
                )
                if number % 2:
                    user.licence_assignments = [
                        LicenceAssignment(provisioning_sku_id=str(uuid4()), assigned_at=now)
                    ]
                session.add(user)
        return lambda: len(
            users.list_users(actor=broker.principal, organization_id=org.id, page_size=MANY).rows
        )

    few, many = _statements(arrange)
    assert few == many


def test_the_price_list_editor_reads_no_query_per_item(broker: Account) -> None:
    def arrange(size: int) -> Callable[[], int]:
        chosen = PriceFilters(category=unique("Counted "))
        for _ in range(size):
            item = new_catalog_item(category=chosen.category)
            add_cost(item, "10.00", "2026-01-01")
            price_lists.set_price(
                actor=broker.principal, list_id=None, item=item, price=Decimal("12.00"),
                effective=clock.today(),
            )  # fmt: skip
        return lambda: len(
            price_editor_page(
                actor=broker.principal, list_id=None, filters=chosen, page_size=MANY
            ).rows
        )

    few, many = _statements(arrange)
    assert few == many
