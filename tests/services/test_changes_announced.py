"""Every change an open page shows is announced (services/changes.py) once it is committed, for
the organization whose data changed: requests and decisions, orders placed now or scheduled,
provisioning, links of tenants, prices, and mail given up on (the Outbox badge). A refused
action announces nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import delete

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.tables.sync import SyncCursor
from o365portal.jobs.portal_jobs import mail_job
from o365portal.mail.templates import Email
from o365portal.partner_center.models import CartLineItem
from o365portal.services import changes, clock, sync, users
from o365portal.services.errors import InvalidInput, PartnerCenterRefused
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _approve as ordering_approvals
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering import _scheduled as ordering_scheduled
from o365portal.services.ordering import _scheduling as scheduling
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.outbox import _outbox as outbox
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.tenants import _links as tenant_links
from tests.builders import new_broker, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.helpers import (
    organization_ready_for_microsoft,
    tenant_made_in_microsofts_portal,
)
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    CHECKOUT,
    Shop,
    broker_settings,
    fast_client,
    open_shop,
    order_form,
)
from tests.services.users_support import chosen, users_tenant
from tests.smtp_server import free_port

pytestmark = pytest.mark.usefixtures("portal_env")

REQUESTS = (changes.APPROVALS, changes.BADGES)
LIST = (changes.SUBSCRIPTIONS,)


class Announcements:
    """What the process's feed (in-process in this tier) carries, heard as the listener of a
    worker hears it."""

    def __init__(self) -> None:
        self.feed = changes.feed()
        self.heard: list[changes.Change] = []
        self._iterator = self.feed.subscribe()
        self._task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for change in self._iterator:
            self.heard.append(change)

    async def take(self) -> list[tuple[int | None, tuple[str, ...]]]:
        """(organization, topics) of every change announced since the last look, in order."""
        marker = changes.Change(None, (changes.USERS,))
        self.feed.publish(marker)  # after everything announced before it
        async with asyncio.timeout(5):
            while marker not in self.heard:
                await asyncio.sleep(0.01)
        heard, self.heard = self.heard, []
        return [(c.organization_id, c.topics) for c in heard if c.id != marker.id]

    async def of(self, organization_id: int) -> list[tuple[str, ...]]:
        """The topics announced for the organization since the last look, in order."""
        return [topics for org, topics in await self.take() if org == organization_id]

    async def stop(self) -> None:
        """Stop listening."""
        self._task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def announced() -> AsyncIterator[Announcements]:
    """A listener subscribed to the feed for this test."""
    listener = Announcements()
    await asyncio.sleep(0)  # it subscribes
    yield listener
    await listener.stop()


async def _shop(sandbox: PartnerCenterFake, *, approvals_on: bool = False) -> Shop:
    broker_settings(approvals=approvals_on)
    async with fast_client(sandbox) as pc:
        return await open_shop(pc)


async def _ask(shop: Shop, quantity: int = 2) -> int:
    outcome = await ordering.place_order(
        actor=shop.customer.principal,
        organization_id=shop.organization_id,
        form=order_form(quantity=quantity),
    )
    return outcome.record_id


async def test_requests_and_decisions_move_the_approval_lists_and_badges(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, announced: Announcements
) -> None:
    shop = await _shop(sandbox, approvals_on=True)
    org = shop.organization_id
    to_reject, to_cancel = await _ask(shop), await _ask(shop)
    assert await announced.of(org) == [REQUESTS, REQUESTS]

    with pytest.raises(InvalidInput):
        approvals.reject(actor=shop.broker.principal, request_id=to_reject, comment=" ")
    assert await announced.of(org) == []

    approvals.reject(actor=shop.broker.principal, request_id=to_reject, comment="Too many")
    approvals.cancel(actor=shop.customer.principal, request_id=to_cancel)
    assert await announced.of(org) == [REQUESTS, REQUESTS]


async def test_an_approval_moves_the_subscription_list_and_the_requests_then_provisioning_too(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, announced: Announcements
) -> None:
    shop = await _shop(sandbox, approvals_on=True)
    request_id = await _ask(shop)
    await announced.of(shop.organization_id)
    async with fast_client(sandbox) as pc:
        await ordering_approvals.approve(actor=shop.broker.principal, request_id=request_id, pc=pc)
        # one transaction records the order and the decision (services/ordering/_approve.py)
        assert await announced.of(shop.organization_id) == [LIST, REQUESTS]

        control.post("clock", {"advance": "PT11S"})  # Microsoft provisions it
        assert await complete_provisioning(pc=pc)
    assert await announced.of(shop.organization_id) == [LIST]


async def test_an_order_refused_at_checkout_is_announced_gone_again(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, announced: Announcements
) -> None:
    shop = await _shop(sandbox)
    refusal = {"route": CHECKOUT, "fault": "reject", "code": 800018}
    control.chaos(nextFailures=[refusal])
    async with fast_client(sandbox) as pc:
        with pytest.raises(PartnerCenterRefused):
            await ordering.place_order(
                actor=shop.broker.principal,
                organization_id=shop.organization_id,
                form=order_form(),
                pc=pc,
            )
    assert await announced.of(shop.organization_id) == [LIST, LIST]  # recorded, then removed


async def test_scheduled_orders_move_the_subscription_list_when_stored_cancelled_and_placed(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, announced: Announcements
) -> None:
    shop = await _shop(sandbox)
    later = (clock.today() + timedelta(days=2)).isoformat()
    first, second = [
        await ordering.place_order(
            actor=shop.customer.principal,
            organization_id=shop.organization_id,
            form=order_form(go_live_date=later),
        )
        for _ in range(2)
    ]
    scheduling.cancel_scheduled_order(
        actor=shop.customer.principal, scheduled_order_id=first.record_id
    )
    assert await announced.of(shop.organization_id) == [LIST, LIST, LIST]
    clock.advance(timedelta(days=2))
    try:
        async with fast_client(sandbox) as pc:
            await ordering_scheduled.place_due_orders(pc=pc)
    finally:
        clock.set_offset(timedelta(0))  # the database is shared with the other tests
    assert await announced.of(shop.organization_id) == [LIST]
    assert second.kind == "scheduled"


async def test_a_link_moves_the_unlinked_list_and_the_cached_badge_count(
    sandbox: PartnerCenterFake, announced: Announcements
) -> None:
    broker = new_broker()
    org = organization_ready_for_microsoft(broker.principal)
    made = await tenant_made_in_microsofts_portal(sandbox, "Linked elsewhere")
    await tenant_links.unlinked_customers(actor=broker.principal)
    before = await tenant_links.unlinked_count(actor=broker.principal)

    await tenant_links.link_customer(
        actor=broker.principal, organization_id=org.id, customer_id=made.id or ""
    )

    assert await announced.of(org.id) == [(changes.UNLINKED, changes.BADGES)]
    assert await tenant_links.unlinked_count(actor=broker.principal) == before - 1


async def test_prices_move_the_approval_lists(
    sandbox: PartnerCenterFake, announced: Announcements
) -> None:
    shop = await _shop(sandbox)
    await announced.take()
    price_lists.set_price(
        actor=shop.broker.principal,
        list_id=shop.price_list_id,
        item=BASIC_MONTHLY,
        price="8.00",
        effective=date.today() + timedelta(days=5),
    )
    price_lists.assign_price_list(
        actor=shop.broker.principal, organization_id=shop.organization_id, list_id=None
    )
    assert await announced.take() == [
        (None, (changes.APPROVALS,)),  # the brokers' lists: a list may serve any organization
        (shop.organization_id, (changes.APPROVALS,)),
    ]


async def test_mail_given_up_on_moves_the_brokers_badges(
    announced: Announcements, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("MAIL_MAX_ATTEMPTS", "1")
    get_settings.cache_clear()
    long_ago = datetime(2000, 1, 1, tzinfo=UTC)  # due before any other test's mail
    with session_scope() as session:
        row = outbox.enqueue(session, Email(f"{unique('to-')}@mail.example", "Hello", "Hi", None))
        row.next_attempt_at = long_ago
    await announced.take()

    report = await mail_job(get_settings(), now=lambda: long_ago).work()  # only this is due

    assert report.failed == 1
    assert await announced.take() == [(None, (changes.BADGES,))]


async def test_a_sync_pass_announces_what_it_applied_to_whose_pages(
    sandbox: PartnerCenterFake, announced: Announcements
) -> None:
    with session_scope() as session:  # the audit cursors are global: read this sandbox's log
        session.exec(delete(SyncCursor))
    shop = await _shop(sandbox)
    line = CartLineItem(
        catalog_item_id=BASIC_MONTHLY.catalog_item_id, quantity=2, billing_cycle="monthly",
        term_duration="P1Y",
    )  # fmt: skip
    async with sandbox.client(portal_app=True) as pc:
        await pc.orders.purchase(shop.customer_id, [line])
    sandbox.post("clock", {"advance": "PT11S"})
    await announced.take()

    async with fast_client(sandbox) as pc:
        await sync.run_sync("incremental", pc=pc)
    mine = await announced.of(shop.organization_id)
    async with fast_client(sandbox) as pc:
        await sync.run_sync("incremental", pc=pc)  # nothing new: nothing announced

    assert (changes.SUBSCRIPTIONS, changes.BADGES) in mine
    assert await announced.of(shop.organization_id) == []


async def test_the_portals_changes_to_microsoft_365_users_move_the_users_page(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, announced: Announcements
) -> None:
    shop, domain = await users_tenant(sandbox)
    actor, org = shop.customer.principal, shop.organization_id
    await announced.of(org)  # what "Sync now" announced

    row = await users.create_user(actor=actor, organization_id=org, form=chosen(domain))
    await users.delete_user(actor=actor, organization_id=org, user_id=row.id)
    await users.restore_user(actor=actor, organization_id=org, user_id=row.id)
    assert await announced.of(org) == [(changes.USERS,)] * 3

    with pytest.raises(InvalidInput):
        await users.create_user(actor=actor, organization_id=org, form=chosen("x.example"))
    assert await announced.of(org) == []
