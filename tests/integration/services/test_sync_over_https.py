"""Sync over the wire: the services' own client (settings -> sandbox.json -> MSAL -> TLS) reads
changes a person made in Microsoft's web portal (the sandbox's "Partner Center portal" app) and
applies them in one pass; a 30 % storm of 429s is ridden out; the shell command does a pass and
prints what it changed."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlmodel import delete, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.m365_users import LicenceAssignment, M365User
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.sync import PartnerCustomer, SyncCursor
from o365portal.partner_center.models import CartLineItem
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services import sync
from tests.sandboxes import HttpsSandbox
from tests.services.helpers import tenant_made_in_microsofts_portal
from tests.services.ordering_support import BASIC_MONTHLY, Shop, fast_client, open_shop

pytestmark = pytest.mark.usefixtures("portal_env")
SYNC_ROUTES = (
    "GET /v1/customers",
    "GET /v1/customers/*",
    "GET /v1/customers/*/subscriptions",
    "GET /v1/customers/*/subscriptions/*",
    "GET /v1/customers/*/users",
    "GET /v1/customers/*/users/*",
    "GET /v1/customers/*/users/*/licenses",
    "GET /v1/customers/*/subscribedskus",
    "GET /v1/auditrecords",
)


@pytest.fixture(autouse=True)
def fresh_cursors(portal_env: None) -> Iterator[None]:
    """Each test reads the (reset) sandbox's audit log from its start."""
    with session_scope() as session:
        session.exec(delete(SyncCursor))
    yield


async def _shop_with_a_purchase(sandbox: HttpsSandbox) -> tuple[Shop, str, str]:
    """A linked tenant whose customer bought 3 Basic seats in Microsoft's web portal and made a
    licensed user there; the subscription's and the user's Partner Center ids."""
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    domain = sandbox.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
    line = CartLineItem(
        catalog_item_id=BASIC_MONTHLY.catalog_item_id, quantity=3, billing_cycle="monthly",
        term_duration="P1Y", friendly_name="Bought at Microsoft",
    )  # fmt: skip
    async with sandbox.client(portal_app=True) as pc:
        await pc.orders.purchase(shop.customer_id, [line])
        sandbox.post("clock", {"advance": "PT11S"})
        [subscription] = await pc.subscriptions.list(shop.customer_id)
        user = await pc.users.create(
            shop.customer_id,
            CustomerUser(
                user_principal_name=f"jo@{domain}", display_name="Jo Brandt",
                usage_location="DE",
                password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
            ),
        )  # fmt: skip
        [sku] = await pc.licenses.subscribed_skus(shop.customer_id)
        assert user.id is not None
        await pc.licenses.update(shop.customer_id, user.id, assign=[sku.product_sku.id])
    return shop, subscription.id, user.id


async def test_changes_made_in_microsofts_portal_reach_the_database_in_one_pass(
    sandbox: HttpsSandbox,
) -> None:
    customer = await tenant_made_in_microsofts_portal(sandbox, "Nordwind AG")
    shop, pc_id, user_id = await _shop_with_a_purchase(sandbox)
    await sync.run_sync("incremental")
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 5)
        await pc.subscriptions.suspend(shop.customer_id, pc_id)

    report = await sync.run_sync("incremental")

    assert report.error is None
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        subscription = row.one()
        history = session.exec(
            select(SubscriptionHistory).where(
                SubscriptionHistory.subscription_id == subscription.id
            )
        ).all()
        user = session.exec(select(M365User).where(M365User.pc_user_id == user_id)).one()
        licences = session.exec(
            select(LicenceAssignment).where(LicenceAssignment.m365_user_id == user.id)
        ).all()
        partner_customer = session.exec(
            select(PartnerCustomer).where(PartnerCustomer.customer_id == customer.id)
        ).one()
    assert (subscription.quantity, subscription.status) == (5, "suspended")
    assert [h.action for h in history] == ["import", "sync"]
    assert history[1].origin == "partner_center"
    assert history[1].before == {"quantity": 3, "status": "active", "auto_renew": True}
    assert (user.display_name, len(licences)) == ("Jo Brandt", 1)
    assert partner_customer.company_name == "Nordwind AG"


async def test_a_storm_of_429s_is_ridden_out(
    sandbox: HttpsSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    _, pc_id, user_id = await _shop_with_a_purchase(sandbox)
    sandbox.chaos(routes={route: {"throttle429": 0.3} for route in SYNC_ROUTES}, seed=11)
    caplog.set_level(logging.INFO, logger="o365portal.partner_center")

    report = await sync.run_sync("full")

    sandbox.chaos()
    assert report.error is None
    answers = [r.getMessage() for r in caplog.records if r.name == "o365portal.partner_center"]
    throttled = [a for a in answers if "-> 429" in a]
    assert len(throttled) >= 3, answers  # the storm happened, and was waited out
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        assert row.one().quantity == 3
        assert session.exec(select(M365User).where(M365User.pc_user_id == user_id)).one()


async def test_the_shell_command_runs_one_pass_and_prints_what_it_changed(
    sandbox: HttpsSandbox,
) -> None:
    _, pc_id, _ = await _shop_with_a_purchase(sandbox)

    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "o365portal", "sync", "--once"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "imported subscription 'Bought at Microsoft': 3 seats, active" in done.stdout
    assert "user jo@" in done.stdout and "created" in done.stdout
    assert "incremental pass" in done.stdout
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        assert row.one().tenant_id
