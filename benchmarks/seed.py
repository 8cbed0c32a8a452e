"""Realistic sizes, written through the portal's own services where they take seconds.

- the catalog refreshed from Partner Center and a global price for every item with a cost
  (`refresh_catalog_at_startup`, `seed_demo_prices`: one `set_price` per item);
- ORGANIZATIONS organizations (`create_organization`), the last one linked
  (`tenants.link_customer`) to a Partner Center customer with BIG_SUBSCRIPTIONS subscriptions
  and BIG_USERS users, 60 % of them licensed. The customer is made through the sandbox's own
  routes, in process (scripts/bench_sync.py's seeding), then imported by the full reconcile
  (`sync.run_sync("full")`), so its subscriptions, seat lots, users and licences are the rows
  sync writes;
- HISTORY_MONTHS of history per subscription: one seat change a month, the row a quantity
  change writes (`record_change`), inserted in bulk (200 x 12 changes through Partner Center
  would take the sandbox's clock and many minutes).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from pydantic import SecretStr
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.m365_users import M365User
from o365portal.db.tables.pricing import PriceListEntry
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.demo import seed_demo_prices
from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig
from o365portal.partner_center.rate_limit import RateLimiter
from o365portal.sandbox.core.server import SandboxInfo
from o365portal.sandbox.core.state import SandboxState
from o365portal.services import clock, sync, tenants
from o365portal.services.partner_center import close_http_client, use_partner_center
from o365portal.services.pricing import refresh_catalog_at_startup
from scripts.bench_sync import (
    IN_PROCESS_URL,
    add_users,
    asgi_http,
    base_plans,
    buy_and_accept,
    in_process_client,
    move_rows,
    sandbox_app,
    scratch_of,
)
from tests.builders import Account, new_broker, new_organization

ORGANIZATIONS = 200
BIG_SUBSCRIPTIONS = 200
BIG_USERS = 2000
BIG_DELETED = 20  # soft-deleted users (restorable), also listed
HISTORY_MONTHS = 12
BIG_NAME = "Bench Big Ltd"
SUBSCRIPTION_NAME = "Bench {n}"  # buy_and_accept's friendly names


@dataclass(frozen=True)
class Seeded:
    """What the bench seeded: who signs in, the big organization, the counts, the time."""

    broker: Account
    big_organization_id: int
    organizations: int
    subscriptions: int
    users: int
    prices: int
    history: int
    seconds: float


def seed(sandbox: SandboxInfo) -> Seeded:
    """Seed the portal's database (DATABASE_URL) and `sandbox` (running in this process)."""
    return asyncio.run(_seed(sandbox))


async def _seed(sandbox: SandboxInfo) -> Seeded:
    began = time.monotonic()
    broker = new_broker()
    try:
        await refresh_catalog_at_startup()
    finally:
        await close_http_client()
    seed_demo_prices()
    for _ in range(ORGANIZATIONS - 1):
        new_organization(broker.principal)
    customer_index = random.Random().randrange(10**6)  # a domain of its own per run
    big = new_organization(
        broker.principal, company_name=BIG_NAME, email=f"billing{customer_index}@bench.example"
    )
    # Made and imported in a scratch state (the live sandbox saves its whole state to disk on
    # changes, a cost of the sandbox's growing with its size), then moved into the live one.
    scratch = scratch_of(sandbox.state)
    customer_id = await _big_customer(sandbox, scratch, customer_index)
    with use_partner_center(lambda: _in_process(sandbox, scratch)):
        await tenants.link_customer(
            actor=broker.principal, organization_id=big.id, customer_id=customer_id
        )
        report = await sync.run_sync("full")
    if report.error:
        raise RuntimeError(f"the full reconcile failed: {report.error}")
    move_rows(scratch, sandbox.state)
    history = _add_history(big.id, broker.principal.account_id)
    subscriptions, users, prices = _counts(big.id)
    return Seeded(
        broker, big.id, ORGANIZATIONS, subscriptions, users, prices, history,
        time.monotonic() - began,
    )  # fmt: skip


def _in_process_config(sandbox: SandboxInfo, *, portal_app: bool) -> PartnerCenterConfig:
    """The config of one of the sandbox's apps, for a client reaching it in process."""
    state = sandbox.state
    app = state.portal_app if portal_app else state.integration_app
    return PartnerCenterConfig(
        base_url=IN_PROCESS_URL,
        authority=f"{IN_PROCESS_URL}/{state.partner_tenant_id}",
        tenant_id=state.partner_tenant_id,
        client_id=app.client_id,
        client_secret=SecretStr(app.client_secret),
        refresh_token=None if portal_app else SecretStr(sandbox.refresh_token),
    )


def _in_process(sandbox: SandboxInfo, state: SandboxState) -> PartnerCenterClient:
    """The integration app's client of `state` (sharing the sandbox's apps), in process and
    without time processors (they scan the whole account before every request)."""
    http = asgi_http(sandbox_app(state, time_processors=False))
    return in_process_client(http, _in_process_config(sandbox, portal_app=False))


async def _big_customer(sandbox: SandboxInfo, scratch: SandboxState, index: int) -> str:
    """The big customer made in `scratch` through the sandbox's routes; its id."""
    rng = random.Random(15)
    config = _in_process_config(sandbox, portal_app=True)
    async with asgi_http(sandbox_app(scratch, time_processors=True)) as http:
        pc = in_process_client(http, config, RateLimiter())
        customer = await buy_and_accept(pc, index, base_plans(), rng, BIG_SUBSCRIPTIONS)
        assert customer.id is not None
        (await http.post("/_sandbox/clock", json={"advance": "PT11S"})).raise_for_status()
        await pc.subscriptions.list(customer.id)  # its time processors provision the orders
    # Without them from here: they scan every user before each request (quadratic in users).
    async with asgi_http(sandbox_app(scratch, time_processors=False)) as http:
        pc = in_process_client(http, config, RateLimiter())
        await add_users(pc, customer, rng, BIG_USERS + BIG_DELETED, BIG_DELETED)
    return customer.id


def _add_history(organization_id: int, actor_id: int) -> int:
    """HISTORY_MONTHS monthly seat changes per subscription of the organization, ending at
    today's quantity: the history rows a quantity change records."""
    now = clock.now()
    with session_scope() as session:
        rows = session.exec(
            select(Subscription)
            .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
            .where(Tenant.organization_id == organization_id)
        ).all()
        added = 0
        for row in rows:
            quantity = row.quantity
            for month in range(1, HISTORY_MONTHS + 1):
                before = quantity - 1 if quantity > 1 else quantity + 1
                session.add(
                    SubscriptionHistory(
                        subscription_id=row.id or 0,
                        actor_account_id=actor_id,
                        origin=ChangeOrigin.PORTAL,
                        at=now - timedelta(days=30 * month),
                        action="quantity",
                        before={"quantity": before},
                        after={"quantity": quantity},
                    )
                )
                quantity, added = before, added + 1
        return added


def _counts(organization_id: int) -> tuple[int, int, int]:
    """The big organization's subscriptions and users, and the global prices."""
    with session_scope() as session:
        tenant_ids = select(Tenant.id).where(Tenant.organization_id == organization_id)
        subscriptions = session.exec(
            select(Subscription.id).where(col(Subscription.tenant_id).in_(tenant_ids))
        ).all()
        users = session.exec(select(M365User.id).where(col(M365User.tenant_id).in_(tenant_ids)))
        prices = session.exec(select(PriceListEntry.id)).all()
        return len(subscriptions), len(users.all()), len(prices)
