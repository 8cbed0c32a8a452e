"""The database itself refuses duplicates and dangling references the business forbids."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy.exc import IntegrityError

from o365portal.db.engine import session_scope
from o365portal.db.enums import Role
from o365portal.db.tables import PortalAccount, ScheduledOrder, Tenant

from .rows import add_broker_account, add_tenant, new_subscription, unique


def test_portal_account_emails_are_unique_whatever_their_case(database_url: str) -> None:
    email = f"{unique('Ann.Lee')}@Contoso.example"
    with session_scope(database_url) as session:
        add_broker_account(session, email=email)

    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        add_broker_account(session, email=email.lower())


def test_a_customer_account_needs_an_organization(database_url: str) -> None:
    account = PortalAccount(
        email=f"{unique('cust')}@contoso.example",
        first_name="Cy",
        last_name="Customer",
        role=Role.CUSTOMER,
        password_hash="$argon2id$placeholder",
    )
    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        session.add(account)


def test_a_partner_center_subscription_id_is_stored_once(database_url: str) -> None:
    pc_subscription_id = str(uuid4())
    with session_scope(database_url) as session:
        session.add(new_subscription(add_tenant(session), pc_subscription_id))

    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        session.add(new_subscription(add_tenant(session), pc_subscription_id))


def _scheduled_order(tenant: Tenant, idempotency_key: str) -> ScheduledOrder:
    return ScheduledOrder(
        organization_id=tenant.organization_id,
        tenant_id=tenant.id,
        product_id="CFQ7TTC0LH18",
        sku_id="0001",
        availability_id="CFQ7TTC0K971",
        term="P1Y",
        billing_cycle="monthly",
        quantity=5,
        friendly_name="Business Basic for sales",
        go_live_date=date(2026, 2, 1),
        idempotency_key=idempotency_key,
    )


def test_a_scheduled_order_idempotency_key_is_used_once(database_url: str) -> None:
    key = uuid4().hex
    with session_scope(database_url) as session:
        session.add(_scheduled_order(add_tenant(session), key))

    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        session.add(_scheduled_order(add_tenant(session), key))


def test_foreign_keys_refuse_rows_that_point_nowhere(database_url: str) -> None:
    tenant = Tenant(organization_id=2_000_000_000, customer_id=str(uuid4()), domain=unique("d"))
    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        session.add(tenant)
