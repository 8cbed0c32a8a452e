"""Arrangements for the ordering, scheduling and approval tests.

`Shop` is one organization ready to buy: a sandbox customer that accepted the MCA, linked as
its active tenant, a customer price list of its own (so tests never share prices), the Business
Basic catalog rows, and a broker and a customer account. `fast_client()` is a Partner Center
client of either `Sandbox` with quick retries whose waits move the sandbox clock instead of
sleeping, so provisioning (10 s on the sandbox clock) takes no real time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import AllowedBillingCycles, PriceListKind, TenantStatus
from o365portal.db.tables.broker import BROKER_SETTINGS_ID, BrokerSettings
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.organizations import Organization
from o365portal.db.tables.pricing import MicrosoftCost, PriceList, PriceListEntry
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.tenants import Tenant
from o365portal.jobs.runner import Job, give_back_lease, run_round
from o365portal.partner_center import PartnerCenterClient, RetryPolicy
from o365portal.partner_center.config import Timeouts
from o365portal.services.pricing._store import CatalogItemRef, start_of
from tests.builders import Account, new_broker, new_customer, new_organization, unique
from tests.integration.partner_center.builders import (
    create_customer,
    new_customer_request,
    unique_domain,
)
from tests.sandboxes import Sandbox

BASIC_MONTHLY = CatalogItemRef("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "P1Y", "monthly")
BASIC_ANNUAL = CatalogItemRef("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "P1Y", "annual")
BASIC_ENTRA_SKU = "3b555118-da6a-4418-894f-7df1e2096870"  # Business Basic's Entra skuId
CHECKOUT = "POST /v1/customers/*/carts/*/checkout"
FAST_RETRIES = RetryPolicy(max_attempts=4, backoff_base=0.01, backoff_max=0.05, jitter=0)


@dataclass(frozen=True)
class Shop:
    """An organization ready to order, with its people and its Partner Center customer."""

    organization_id: int
    customer_id: str
    price_list_id: int
    broker: Account
    customer: Account


def fast_client(sandbox: Sandbox, **overrides: Any) -> PartnerCenterClient:
    """A client of the sandbox with quick retries whose waits advance the sandbox clock."""
    return sandbox.client(retry=FAST_RETRIES, **overrides)


def answer_slowly(sandbox: Sandbox) -> None:
    """Partner Center answers after a quarter second, as over the wire, so that racing job
    runners are still at work when the other one starts (in process it answers at once)."""
    sandbox.chaos(latencyMs=250)


def timing_out_client(sandbox: Sandbox) -> PartnerCenterClient:
    """A fast client that gives up on an answer after half a second (then retries)."""
    return fast_client(sandbox, timeouts=Timeouts(read=0.5))


def broker_settings(
    cycles: AllowedBillingCycles = AllowedBillingCycles.BOTH, approvals: bool = False
) -> None:
    """Set what the broker allows (the tests share one database: every test sets it)."""
    with session_scope() as session:
        row = session.get(BrokerSettings, BROKER_SETTINGS_ID) or BrokerSettings(
            broker_name="Test Broker", currency="USD"
        )
        row.allowed_billing_cycles, row.approvals_required = cycles, approvals
        session.add(row)


def ensure_catalog(*refs: CatalogItemRef, **fields: str) -> None:
    """The Business Basic rows of the catalog cache, as a catalog refresh would store them
    (`fields` replace Business Basic's title, description, ... for another SKU)."""
    with session_scope() as session:
        for ref in refs:
            found = session.exec(
                select(CatalogItem).where(
                    CatalogItem.product_id == ref.product_id,
                    CatalogItem.availability_id == ref.availability_id,
                    CatalogItem.term == ref.term,
                    CatalogItem.billing_cycle == ref.billing_cycle,
                )
            ).first()
            if found is None:
                session.add(_catalog_row(ref, **fields))


def _catalog_row(ref: CatalogItemRef, **fields: str) -> CatalogItem:
    basic = {
        "title": "Microsoft 365 Business Basic",
        "description": "Web and mobile Office apps, Teams, 1 TB OneDrive, business e-mail.",
        "provisioning_sku_id": BASIC_ENTRA_SKU,
        "sku_part_number": "O365_BUSINESS_ESSENTIALS",
    }
    return CatalogItem(
        **vars(ref),
        **(basic | fields),
        category="Microsoft 365",
        product_group="Business",
        min_quantity=1,
        max_quantity=300,
        refreshed_at=datetime.now(UTC),
    )


def ensure_cost(ref: CatalogItemRef, amount: str) -> None:
    """Microsoft's cost of `ref` in USD since 2020 (once per database)."""
    with session_scope() as session:
        found = session.exec(
            select(MicrosoftCost).where(
                MicrosoftCost.product_id == ref.product_id,
                MicrosoftCost.availability_id == ref.availability_id,
                MicrosoftCost.billing_cycle == ref.billing_cycle,
                MicrosoftCost.currency == "USD",
                MicrosoftCost.effective_from == start_of(date(2020, 1, 1)),
            )
        ).first()
        if found is None:
            session.add(
                MicrosoftCost(
                    **vars(ref),
                    unit_cost=Decimal(amount),
                    currency="USD",
                    effective_from=start_of(date(2020, 1, 1)),
                )
            )


def set_price(shop: Shop, ref: CatalogItemRef, amount: str, day: date) -> None:
    """A sales price for `ref` in the shop's own price list from `day` on."""
    with session_scope() as session:
        session.add(
            PriceListEntry(
                **vars(ref),
                price_list_id=shop.price_list_id,
                sales_price=Decimal(amount),
                currency="USD",
                effective_from=start_of(day),
            )
        )


def _price_list(organization_id: int) -> int:
    with session_scope() as session:
        price_list = PriceList(
            name=unique("Customer list "), kind=PriceListKind.CUSTOMER, currency="USD"
        )
        session.add(price_list)
        session.flush()
        organization = session.get(Organization, organization_id)
        assert organization is not None and price_list.id is not None
        organization.price_list_id = price_list.id
        return price_list.id


def _link(organization_id: int, customer_id: str) -> None:
    with session_scope() as session:
        session.add(
            Tenant(
                organization_id=organization_id,
                customer_id=customer_id,
                domain=f"{unique('shop')}.onmicrosoft.com",
                status=TenantStatus.ACTIVE,
            )
        )


async def open_shop(
    pc: PartnerCenterClient, *, price: str = "7.50", accept_mca: bool = True
) -> Shop:
    """A fresh organization with a tenant, its own price list and a price for Basic."""
    broker = new_broker()
    organization = new_organization(broker.principal)
    if accept_mca:
        customer = await create_customer(pc, organization.company_name)
    else:
        request = new_customer_request(unique_domain(), organization.company_name)
        customer = await pc.customers.create(request)
    assert customer.id is not None
    _link(organization.id, customer.id)
    ensure_catalog(BASIC_MONTHLY, BASIC_ANNUAL)
    shop = Shop(
        organization.id,
        customer.id,
        _price_list(organization.id),
        broker,
        new_customer(organization.id),
    )
    set_price(shop, BASIC_MONTHLY, price, date(2020, 1, 1))
    set_price(shop, BASIC_ANNUAL, "90.00", date(2020, 1, 1))
    return shop


def order_form(ref: CatalogItemRef = BASIC_MONTHLY, quantity: int = 3, **fields: str) -> dict:
    """The add-subscription form as the page posts it."""
    return {"item": ref.key, "quantity": str(quantity)} | fields


def of_shop(shop: Shop, subscription_ids: list[int]) -> list[int]:
    """The shop's own among `subscription_ids`, in order. A job round (placing due orders,
    completing provisioning) works on every organization's rows in the shared database, so a
    test looks only at the rows it made."""
    with session_scope() as session:
        query = (
            select(Subscription.id)
            .join(Tenant, col(Subscription.tenant_id) == col(Tenant.id))
            .where(Tenant.organization_id == shop.organization_id)
        )
        own = set(session.exec(query).all())
    return [subscription_id for subscription_id in subscription_ids if subscription_id in own]


def sandbox_subscriptions(sandbox: Sandbox, customer_id: str) -> list[dict[str, Any]]:
    """The customer's subscriptions in the sandbox."""
    rows = sandbox.state.table("subscriptions").values()
    return [row for row in rows if row["customerId"] == customer_id]


def race_job_runners(
    sandbox: Sandbox,
    job_name: str,
    one_round: Callable[[PartnerCenterClient], Awaitable[list[int]]],
    runners: int,
    use_lease: bool,
) -> list[list[int] | bool]:
    """Start `runners` job runners at once, each in its own thread and event loop, as several
    workers would; each runs one round (under the job's lease when `use_lease`)."""
    barrier = threading.Barrier(runners)
    results: list[list[int] | bool] = [[] for _ in range(runners)]

    async def one(index: int) -> None:
        async with fast_client(sandbox) as pc:

            async def work() -> list[int]:
                return await one_round(pc)

            barrier.wait()
            if use_lease:
                job = Job(job_name, 1, work, lease_seconds=60)
                results[index] = await run_round(job, holder=f"runner-{index}")
                give_back_lease(job, holder=f"runner-{index}")
            else:
                results[index] = await work()

    threads = [threading.Thread(target=asyncio.run, args=(one(i),)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
