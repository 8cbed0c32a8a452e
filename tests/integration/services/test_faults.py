"""Faults: a portal process SIGKILLed in the middle of its work, then restarted; and an SMTP
server that is down for an hour.

Each test starts the work in a child process (tests/integration/fault_worker.py) over the real
wire (the sandbox over HTTPS, the database, a real SMTP server), holds it at a chosen point
through the sandbox's chaos (a Partner Center answer that does not come) or the SMTP server (a
recipient it keeps waiting), kills it there, lets the minutes after a crash pass (leases run
out, claims go stale), restarts the portal's jobs or repeats the person's click, and compares
Partner Center's records with the portal's: every order placed once, every decision taken
once, every e-mail delivered once. The module prints the count of faults injected and what
was lost or done twice (`print_the_score`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import col, delete, select

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.enums import MailStatus, ScheduledOrderStatus
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.m365_users import LicenceAssignment, M365User
from o365portal.db.tables.mail import OutboxMessage
from o365portal.db.tables.scheduled_orders import ScheduledOrder
from o365portal.db.tables.subscriptions import Subscription
from o365portal.db.tables.sync import SyncCursor, SyncRun
from o365portal.db.tables.tenants import Tenant
from o365portal.jobs.portal_jobs import mail_job, portal_jobs
from o365portal.jobs.runner import give_back_lease, run_round
from o365portal.mail.templates import Email
from o365portal.partner_center.models import CartLineItem
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services import clock, subscriptions, sync
from o365portal.services.licences import assign_in_bulk
from o365portal.services.ordering import approve, place_order
from o365portal.services.outbox import _outbox as outbox
from tests.builders import unique
from tests.integration.services.fault_support import (
    Score,
    Worker,
    let_time_pass,
    principal_args,
)
from tests.sandboxes import HttpsSandbox
from tests.services.ordering_support import (
    BASIC_MONTHLY,
    CHECKOUT,
    Shop,
    broker_settings,
    fast_client,
    open_shop,
    order_form,
    sandbox_subscriptions,
)
from tests.smtp_server import SmtpServerInfo, free_port, running_smtp_server

pytestmark = pytest.mark.usefixtures("portal_env")
CARTS = "POST /v1/customers/*/carts"
LICENCE_UPDATES = "POST /v1/customers/*/users/*/licenseupdates"
RESTARTED = "restarted-worker"
SCORE = Score()


@pytest.fixture(scope="session", autouse=True)
def print_the_score(request: pytest.FixtureRequest) -> Iterator[None]:
    """At the end of the run (once, over both databases), the line `make test` shows: faults
    injected per kind, lost, doubled."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None and SCORE.injected:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nfault tests: {SCORE.line()}")


def _hold(sandbox: HttpsSandbox, route: str) -> None:
    """Partner Center does the next `route` request's work and then never answers it."""
    sandbox.chaos(nextFailures=[{"route": route, "fault": "timeout", "count": 1}], hangSeconds=300)


async def _restart_jobs(sandbox: HttpsSandbox, *names: str) -> None:
    """A restarted worker's job rounds after the crash's minutes have passed: each named job
    once, then again after Microsoft's provisioning time (10 s on the sandbox clock)."""
    sandbox.chaos()
    let_time_pass()
    jobs = [job for job in portal_jobs(get_settings()) if job.name in names]
    for advance in ("PT0S", "PT11S"):
        sandbox.post("clock", {"advance": advance})
        for job in jobs:
            assert await run_round(job, holder=RESTARTED)
            give_back_lease(job, holder=RESTARTED)


def _rows(table: str, customer_id: str, sandbox: HttpsSandbox) -> list[dict[str, Any]]:
    with sandbox.state.lock:  # the sandbox serves requests in its own thread meanwhile
        rows = list(sandbox.state.table(table).values())
    return [r for r in rows if r["customerId"] == customer_id]


def _portal_subscriptions(shop: Shop) -> list[Subscription]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Subscription)
                .join(Tenant, col(Tenant.id) == col(Subscription.tenant_id))
                .where(Tenant.organization_id == shop.organization_id)
            ).all()
        )


def _order_counts(sandbox: HttpsSandbox, shop: Shop, wanted: int) -> tuple[int, int]:
    """Partner Center holds `wanted` subscriptions of 3 seats of the shop (one order each) and
    the portal the same ones, active: how many are missing, and how many are there twice."""
    at_microsoft = sandbox_subscriptions(sandbox, shop.customer_id)
    orders = _rows("orders", shop.customer_id, sandbox)
    portal = _portal_subscriptions(shop)
    active = {s.pc_subscription_id for s in portal if s.status == "active"}
    lost = max(wanted - len(at_microsoft), 0) + len({s["id"] for s in at_microsoft} - active)
    doubled = max(len(at_microsoft) - wanted, 0) + max(len(orders) - wanted, 0)
    doubled += max(len(portal) - len(at_microsoft), 0)
    lost += sum(1 for s in at_microsoft if s["quantity"] != 3)
    return lost, doubled


def _score_order(kind: str, sandbox: HttpsSandbox, shop: Shop) -> None:
    lost, doubled = _order_counts(sandbox, shop, wanted=1)
    SCORE.record(kind, lost=lost, doubled=doubled)
    assert (lost, doubled) == (0, 0)


async def _shop(sandbox: HttpsSandbox, *, approvals: bool = False) -> Shop:
    broker_settings(approvals=approvals)
    async with fast_client(sandbox) as pc:
        return await open_shop(pc)


# Killed while Microsoft answers the cart (made, nothing recorded or bought yet) or the checkout
# (bought at Microsoft, recorded in the portal with its cart, the answer not yet stored).
KILL_POINTS = pytest.mark.parametrize(
    ("route", "table"), [(CARTS, "carts"), (CHECKOUT, "orders")], ids=["at-cart", "at-checkout"]
)


@KILL_POINTS
async def test_an_order_killed_midway_is_placed_once(
    sandbox: HttpsSandbox, route: str, table: str
) -> None:
    shop = await _shop(sandbox)
    _hold(sandbox, route)
    order = {"organization_id": shop.organization_id, "form": order_form()}
    worker = Worker("order", {"actor": principal_args(shop.broker.principal)} | order)

    worker.kill_when(lambda: bool(_rows(table, shop.customer_id, sandbox)))
    await _restart_jobs(sandbox, "order-provisioning")
    if not _portal_subscriptions(shop):  # nothing was recorded: the page said nothing either
        assert sandbox_subscriptions(sandbox, shop.customer_id) == []
        await place_order(actor=shop.broker.principal, **order)  # so the broker orders again
        await _restart_jobs(sandbox, "order-provisioning")

    _score_order("order", sandbox, shop)


async def _requested(shop: Shop) -> int:
    await place_order(
        actor=shop.customer.principal, organization_id=shop.organization_id, form=order_form()
    )
    with session_scope() as session:
        return (
            session.exec(
                select(ApprovalRequest.id).where(
                    ApprovalRequest.organization_id == shop.organization_id
                )
            ).one()
            or 0
        )


def _approval_mail(shop: Shop) -> list[str]:
    with session_scope() as session:
        return list(
            session.exec(
                select(OutboxMessage.subject).where(OutboxMessage.to_address == shop.customer.email)
            ).all()
        )


@KILL_POINTS
async def test_an_approval_killed_midway_places_the_order_once_and_tells_the_customer(
    sandbox: HttpsSandbox, route: str, table: str
) -> None:
    shop = await _shop(sandbox, approvals=True)
    request_id = await _requested(shop)
    _hold(sandbox, route)
    worker = Worker(
        "approve", {"actor": principal_args(shop.broker.principal), "request_id": request_id}
    )

    worker.kill_when(lambda: bool(_rows(table, shop.customer_id, sandbox)))
    await _restart_jobs(sandbox, "order-provisioning")
    with session_scope() as session:
        request = session.get(ApprovalRequest, request_id)
        assert request is not None
    if request.status == "pending":  # nothing decided for good: the broker approves again
        assert sandbox_subscriptions(sandbox, shop.customer_id) == []
        assert _approval_mail(shop) == []
        await approve(actor=shop.broker.principal, request_id=request_id)
        await _restart_jobs(sandbox, "order-provisioning")

    told = _approval_mail(shop).count("Your order was approved")
    lost, doubled = _order_counts(sandbox, shop, wanted=1)
    lost, doubled = lost + (told == 0), doubled + max(told - 1, 0)
    SCORE.record("approval", lost=lost, doubled=doubled)
    assert (lost, doubled) == (0, 0), (request.status, told)


async def _change_asked(sandbox: HttpsSandbox, shop: Shop, ask: Any) -> tuple[int, int]:
    """An active subscription of the shop and its customer's change request (`ask`, run as the
    customer with approvals on): their ids."""
    await place_order(
        actor=shop.broker.principal, organization_id=shop.organization_id, form=order_form()
    )
    await _restart_jobs(sandbox, "order-provisioning")
    [subscription] = _portal_subscriptions(shop)
    broker_settings(approvals=True)
    await ask(actor=shop.customer.principal, subscription_id=subscription.id or 0)
    with session_scope() as session:
        [request_id] = session.exec(
            select(ApprovalRequest.id).where(
                ApprovalRequest.organization_id == shop.organization_id
            )
        ).all()
    return subscription.id or 0, request_id or 0


def _approve_change_and_kill(sandbox: HttpsSandbox, shop: Shop, request_id: int, made: Any) -> None:
    """The broker approves; the worker is killed once Partner Center has made the change and
    before its answer comes (`made()` holds)."""
    _hold(sandbox, "PATCH /v1/customers/*/subscriptions/*")
    worker = Worker(
        "approve-change",
        {"actor": principal_args(shop.broker.principal), "request_id": request_id},
    )
    worker.kill_when(made)


def _score_change(kind: str, shop: Shop, request_id: int, lost: int) -> None:
    told = _approval_mail(shop).count("Your change was approved")
    with session_scope() as session:
        request = session.get(ApprovalRequest, request_id)
        assert request is not None
    lost += (told == 0) + (request.status != "approved")
    SCORE.record(kind, lost=lost, doubled=max(told - 1, 0))
    assert (lost, told) == (0, 1), request.status


async def test_a_seat_change_approval_killed_midway_makes_the_change_and_tells_the_customer(
    sandbox: HttpsSandbox,
) -> None:
    shop = await _shop(sandbox)
    _, request_id = await _change_asked(
        sandbox, shop, partial(subscriptions.change_quantity, quantity=5)
    )

    seats = lambda: [s["quantity"] for s in sandbox_subscriptions(sandbox, shop.customer_id)]  # noqa: E731
    _approve_change_and_kill(sandbox, shop, request_id, lambda: seats() == [5])
    await _restart_jobs(sandbox, "order-provisioning", "sync-changes")

    [portal] = _portal_subscriptions(shop)
    _score_change("seat change approval", shop, request_id, lost=(portal.quantity != 5))


async def test_a_cancellation_approval_killed_midway_cancels_once_and_tells_the_customer(
    sandbox: HttpsSandbox,
) -> None:
    shop = await _shop(sandbox)
    _, request_id = await _change_asked(sandbox, shop, subscriptions.cancel_subscription)

    statuses = lambda: [s["status"] for s in sandbox_subscriptions(sandbox, shop.customer_id)]  # noqa: E731
    _approve_change_and_kill(sandbox, shop, request_id, lambda: statuses() == ["deleted"])
    await _restart_jobs(sandbox, "order-provisioning", "sync-changes")

    [portal] = _portal_subscriptions(shop)
    _score_change("cancellation approval", shop, request_id, lost=(portal.status != "deleted"))


async def test_a_scheduled_order_killed_while_being_placed_is_placed_once(
    sandbox: HttpsSandbox,
) -> None:
    shop = await _shop(sandbox)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    outcome = await place_order(
        actor=shop.broker.principal,
        organization_id=shop.organization_id,
        form=order_form(go_live_date=tomorrow),
    )
    with session_scope() as session:  # its go-live day has come
        row = session.get(ScheduledOrder, outcome.record_id)
        assert row is not None
        row.go_live_date = clock.today()
        session.add(row)
    _hold(sandbox, CHECKOUT)
    worker = Worker("jobs", {"names": ["scheduled-orders"]})

    worker.kill_when(lambda: bool(_rows("orders", shop.customer_id, sandbox)))
    await _restart_jobs(sandbox, "scheduled-orders", "order-provisioning")

    with session_scope() as session:
        row = session.get(ScheduledOrder, outcome.record_id)
        assert row is not None and row.status == ScheduledOrderStatus.PLACED
    _score_order("scheduled order", sandbox, shop)


async def _tenant_with_users(sandbox: HttpsSandbox, users: int) -> tuple[Shop, str]:
    """A linked tenant whose customer bought Basic seats for everyone in Microsoft's web portal
    (its admin and `users` users made there, all without a licence); the SKU's id."""
    shop = await _shop(sandbox)
    domain = sandbox.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
    line = CartLineItem(
        catalog_item_id=BASIC_MONTHLY.catalog_item_id, quantity=users + 1, billing_cycle="monthly",
        term_duration="P1Y", friendly_name="Bought at Microsoft",
    )  # fmt: skip
    async with sandbox.client(portal_app=True) as pc:
        await pc.orders.purchase(shop.customer_id, [line])
        sandbox.post("clock", {"advance": "PT11S"})
        for index in range(users):
            await pc.users.create(
                shop.customer_id,
                CustomerUser(
                    user_principal_name=f"user{index}@{domain}", display_name=f"User {index}",
                    usage_location="US",
                    password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
                ),
            )  # fmt: skip
        [sku] = await pc.licenses.subscribed_skus(shop.customer_id)
    return shop, sku.product_sku.id


def _portal_users(shop: Shop) -> dict[str, list[str]]:
    """The portal's users of the shop's tenant by Partner Center id, with their SKUs."""
    with session_scope() as session:
        rows = session.exec(
            select(M365User, LicenceAssignment.provisioning_sku_id)
            .join(Tenant, col(Tenant.id) == col(M365User.tenant_id))
            .outerjoin(LicenceAssignment, col(LicenceAssignment.m365_user_id) == col(M365User.id))
            .where(Tenant.organization_id == shop.organization_id)
        ).all()
    users: dict[str, list[str]] = {}
    for user, sku in rows:
        users.setdefault(user.pc_user_id, []).extend([sku] if sku else [])
    return users


def _microsoft_users(sandbox: HttpsSandbox, shop: Shop) -> dict[str, list[str]]:
    return {
        user["id"]: [licence["id"] for licence in user.get("licenses", [])]
        for user in _rows("users", shop.customer_id, sandbox)
    }


def _score_users(kind: str, sandbox: HttpsSandbox, shop: Shop) -> None:
    """The portal's users and licences are Partner Center's, each once."""
    microsoft, portal = _microsoft_users(sandbox, shop), _portal_users(shop)
    lost = len(set(microsoft) - set(portal)) + sum(
        len(set(skus) - set(portal.get(user, []))) for user, skus in microsoft.items()
    )
    doubled = sum(len(skus) - len(set(skus)) for skus in [*microsoft.values(), *portal.values()])
    doubled += sum(1 for user, skus in portal.items() if len(skus) > len(microsoft.get(user, [])))
    SCORE.record(kind, lost=lost, doubled=doubled)
    assert (lost, doubled) == (0, 0), (microsoft, portal)


async def test_a_sync_pass_killed_midway_converges_on_the_next_pass(
    sandbox: HttpsSandbox,
) -> None:
    with session_scope() as session:
        session.exec(delete(SyncCursor))
    shop, _ = await _tenant_with_users(sandbox, users=6)
    other, _ = await _tenant_with_users(sandbox, users=1)
    # The other tenant's last read never answers: the pass is still running once the shop's
    # users are written (with only latency, it sometimes finished before the kill landed).
    _hold(sandbox, f"GET /v1/customers/{other.customer_id}/subscribedskus")
    worker = Worker("sync", {})

    worker.kill_when(lambda: len(_portal_users(shop)) >= 2)
    sandbox.chaos()
    let_time_pass()
    report = await sync.run_sync("full")

    assert report.error is None
    with session_scope() as session:
        statuses = session.exec(select(SyncRun.status).order_by(col(SyncRun.id))).all()
    assert "interrupted" in statuses
    _score_users("sync pass", sandbox, shop)


async def test_a_bulk_licence_run_killed_midway_is_finished_by_running_it_again(
    sandbox: HttpsSandbox,
) -> None:
    shop, sku = await _tenant_with_users(sandbox, users=6)
    await sync.run_sync("full")
    with session_scope() as session:
        user_ids = list(
            session.exec(
                select(M365User.id)
                .join(Tenant, col(Tenant.id) == col(M365User.tenant_id))
                .where(Tenant.organization_id == shop.organization_id)
            ).all()
        )
    [subscription] = _portal_subscriptions(shop)
    args = {"user_ids": user_ids, "subscription_ids": [subscription.id]}
    sandbox.chaos(latencyMs=300)
    worker = Worker("bulk-licences", {"actor": principal_args(shop.broker.principal)} | args)

    licensed = lambda: sum(bool(s) for s in _microsoft_users(sandbox, shop).values())  # noqa: E731
    worker.kill_when(lambda: licensed() >= 3)
    sandbox.chaos()
    let_time_pass()
    await sync.run_sync("incremental")
    report = await assign_in_bulk(actor=shop.broker.principal, **args)

    assert not report.failed, report.summary
    assert all(skus == [sku] for skus in _microsoft_users(sandbox, shop).values())
    _score_users("bulk licence run", sandbox, shop)


def _queue(addresses: list[str]) -> None:
    """One message to each address, in an outbox holding nothing else: the earlier tests' mail
    would fill the delivery round's batch (mail.delivery.BATCH_SIZE)."""
    with session_scope() as session:
        session.exec(delete(OutboxMessage))
        for address in addresses:
            outbox.enqueue(session, Email(address, f"Hello {address}", "Body", None))


def _received(smtp_server: SmtpServerInfo, addresses: list[str]) -> dict[str, int]:
    return {a: len(smtp_server.received.to(a)) for a in addresses}


def _score_mail(kind: str, smtp_server: SmtpServerInfo, addresses: list[str]) -> None:
    received = _received(smtp_server, addresses)
    lost = sum(1 for count in received.values() if count == 0)
    doubled = sum(count - 1 for count in received.values() if count > 1)
    SCORE.record(kind, lost=lost, doubled=doubled)
    assert (lost, doubled) == (0, 0), received


async def test_an_email_send_killed_midway_is_sent_once(smtp_server: SmtpServerInfo) -> None:
    addresses = [f"{unique('mail')}@fault.example" for _ in range(4)]
    _queue(addresses)
    smtp_server.received.held.add(addresses[2])
    worker = Worker("jobs", {"names": ["mail-delivery"]})

    worker.kill_when(lambda: addresses[2] in smtp_server.received.waiting)
    smtp_server.received.held.clear()
    let_time_pass()
    job = mail_job(get_settings())
    assert await run_round(job, holder=RESTARTED)
    give_back_lease(job, holder=RESTARTED)

    _score_mail("e-mail send", smtp_server, addresses)


async def test_mail_waits_while_smtp_is_down_for_an_hour_and_goes_out_once_it_is_back(
    smtp_server: SmtpServerInfo,
) -> None:
    addresses = [f"{unique('down')}@fault.example" for _ in range(3)]
    port = free_port()  # nothing listens there: SMTP is down
    job = mail_job(get_settings().model_copy(update={"smtp_port": port}), now=clock.now)
    start = clock.offset()
    _queue(addresses)
    try:
        for _ in range(13):  # an hour (the portal's clock moved), a round every five minutes
            assert await run_round(job, holder=RESTARTED)
            clock.advance(timedelta(minutes=5))
        waiting = _statuses(addresses)
        with running_smtp_server(port, smtp_server.received):  # SMTP is back
            clock.advance(timedelta(minutes=15))  # the longest wait between attempts
            assert await run_round(job, holder=RESTARTED)
    finally:
        give_back_lease(job, holder=RESTARTED)
        clock.set_offset(start)
    assert waiting == {MailStatus.QUEUED}  # after an hour: waiting, not given up
    assert _statuses(addresses) == {MailStatus.SENT}
    _score_mail("smtp down an hour", smtp_server, addresses)


def _statuses(addresses: list[str]) -> set[MailStatus]:
    with session_scope() as session:
        query = select(OutboxMessage.status).where(col(OutboxMessage.to_address).in_(addresses))
        return set(session.exec(query).all())
