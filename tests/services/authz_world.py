"""Two organizations with something of everything, for the authorisation matrix: a tenant whose
users the portal holds, a subscription, a scheduled order, a pending approval request and a
customer price list each; a customer account of each and a broker; and what identifies each
organization's data (`Org.marks`) and a fingerprint of all of it (`fingerprint`), in the
portal's database and in Partner Center, to see whether anyone changed it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table
from sqlmodel import SQLModel, col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.m365_users import M365User
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import PriceList
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.services import accounts, clock, ordering
from tests.builders import Account, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.billing_support import buy
from tests.services.ordering_support import BASIC_MONTHLY, broker_settings, order_form
from tests.services.users_support import users_tenant


@dataclass(frozen=True)
class Org:
    """One organization of the matrix: its ids, its customer account and what marks its data."""

    name: str  # "A" or "B"
    organization_id: int
    customer_id: str  # the tenant's Partner Center customer id
    price_list_id: int
    subscription_id: int
    scheduled_id: int
    request_id: int
    user_id: int
    customer: Account
    marks: frozenset[str]  # strings only this organization's data holds


async def new_org(name: str, sandbox: PartnerCenterFake, control: PartnerCenterFake) -> Org:
    """An organization with a tenant, users, a subscription, a scheduled order and a request."""
    broker_settings()
    shop, _ = await users_tenant(sandbox)
    subscription_id = await buy(
        sandbox, control, shop, BASIC_MONTHLY, 2, friendly_name=unique(f"Seats {name} ")
    )
    go_live = (clock.today() + timedelta(days=30)).isoformat()
    later_name, asked_name = unique(f"Later {name} "), unique(f"Asked {name} ")
    later = order_form(quantity=1, go_live_date=go_live, friendly_name=later_name)
    scheduled = await ordering.place_order(
        actor=shop.broker.principal, organization_id=shop.organization_id, form=later
    )
    broker_settings(approvals=True)
    asked = order_form(quantity=4, friendly_name=asked_name)
    request = await ordering.place_order(
        actor=shop.customer.principal, organization_id=shop.organization_id, form=asked
    )
    broker_settings()
    assert (scheduled.kind, request.kind) == ("scheduled", "approval")
    with session_scope() as session:
        user = session.exec(
            select(M365User)
            .join(Tenant, col(Tenant.id) == col(M365User.tenant_id))
            .where(Tenant.organization_id == shop.organization_id)
        ).first()
        assert user is not None and user.id is not None
        user_id = user.id
    return Org(
        name,
        shop.organization_id,
        shop.customer_id,
        shop.price_list_id,
        subscription_id,
        scheduled.record_id,
        request.record_id,
        user_id,
        shop.customer,
        frozenset(
            _marks(
                shop.organization_id, shop.customer_id, shop.customer.email, later_name, asked_name
            )
        ),
    )


def _marks(organization_id: int, customer_id: str, *names: str) -> set[str]:
    with session_scope() as session:
        org = session.get(Organization, organization_id)
        assert org is not None
        tenants = list(
            session.exec(select(Tenant).where(Tenant.organization_id == organization_id))
        )
        tenant_ids = [t.id for t in tenants]
        users = session.exec(select(M365User).where(col(M365User.tenant_id).in_(tenant_ids)))
        subscriptions = session.exec(
            select(Subscription).where(col(Subscription.tenant_id).in_(tenant_ids))
        )
        price_list = session.get(PriceList, org.price_list_id)
        return {
            org.company_name,
            org.email,
            customer_id,
            *names,
            *(t.domain for t in tenants),
            *(u.user_principal_name for u in users),
            *(s.friendly_name for s in subscriptions),
            *([price_list.name] if price_list else []),
        }


def session_of(account: Account) -> str:
    """A live session token of the account (what the sign-in page puts in the cookie)."""
    return accounts.sign_in(email=account.email, password=account.password).token


def fingerprint(org: Org, sandbox: PartnerCenterFake) -> str:
    """A digest of everything of `org`: its rows in the portal's database (by organization, its
    tenants, their subscriptions, its price list) and its customer's records in Partner Center."""
    with session_scope() as session:
        connection = session.connection()
        tenants = select(Tenant.id).where(Tenant.organization_id == org.organization_id)
        subscriptions = select(Subscription.id).where(col(Subscription.tenant_id).in_(tenants))
        parts = [
            repr(row)
            for table, where in _scopes(org, tenants, subscriptions)
            for row in connection.execute(select(table).where(where).order_by(*table.primary_key))
        ]
    for name in sorted(sandbox.state.table_names()):
        rows = (
            json.dumps(r, sort_keys=True, default=str) for r in sandbox.state.table(name).values()
        )
        parts += sorted(text for text in rows if org.customer_id in text)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _scopes(org: Org, tenants: Any, subscriptions: Any) -> Iterator[tuple[Table, Any]]:
    """Each table holding something of `org`, with the condition that selects it."""
    for table in SQLModel.metadata.sorted_tables:
        columns = table.columns
        if table.name == "organization":
            yield table, columns["id"] == org.organization_id
        elif "organization_id" in columns:
            yield table, columns["organization_id"] == org.organization_id
        elif "tenant_id" in columns:
            yield table, columns["tenant_id"].in_(tenants)
        elif "subscription_id" in columns:
            yield table, columns["subscription_id"].in_(subscriptions)
        elif table.name == "price_list":
            yield table, columns["id"] == org.price_list_id
        elif table.name == "price_list_entry":
            yield table, columns["price_list_id"] == org.price_list_id
