"""Sync with Partner Center: changes made with the "Partner Center portal" app (a person in
Microsoft's web portal) reach the portal's database after one pass, with history and audit rows
saying so; a killed pass resumes without applying anything twice; both sides changing one field
is a drift alert, resolved by a broker; one pass at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlmodel import col, delete, select

from o365portal.config import get_settings
from o365portal.db.engine import session_scope
from o365portal.db.leases import release_lease, try_acquire_lease
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.m365_users import LicenceAssignment, M365User, SubscribedSku
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionHistory
from o365portal.db.tables.sync import (
    DriftAlert,
    JobLease,
    PartnerCustomer,
    SyncCursor,
    TenantSync,
)
from o365portal.partner_center.models import CartLineItem
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.sandbox.core.webhooks import sign
from o365portal.services import sync
from o365portal.services.errors import NotAllowed
from o365portal.services.sync._runs import LEASE_TTL, SYNC_LEASE
from tests.fakes.partner_center import PartnerCenterFake, WorkerKilled
from tests.services.helpers import tenant_made_in_microsofts_portal
from tests.services.ordering_support import BASIC_MONTHLY, Shop, fast_client, open_shop

pytestmark = pytest.mark.usefixtures("portal_env")
GET_SUBSCRIPTION = "GET /v1/customers/*/subscriptions/*"


@pytest.fixture(autouse=True)
def fresh_cursors(portal_env: None) -> Iterator[None]:
    """The audit cursors are global: each test reads the (reset) sandbox's log from its start."""
    with session_scope() as session:
        session.exec(delete(SyncCursor))
    yield


async def _shop(sandbox: PartnerCenterFake) -> Shop:
    async with fast_client(sandbox) as pc:
        return await open_shop(pc, price="7.50")


async def _buy_in_partner_center(sandbox: PartnerCenterFake, shop: Shop, quantity: int) -> str:
    """Buy Basic in Microsoft's web portal; the Partner Center subscription id."""
    line = CartLineItem(
        catalog_item_id=BASIC_MONTHLY.catalog_item_id,
        quantity=quantity,
        billing_cycle="monthly",
        term_duration="P1Y",
        friendly_name="Bought at Microsoft",
    )
    async with sandbox.client(portal_app=True) as pc:
        await pc.orders.purchase(shop.customer_id, [line])
    sandbox.post("clock", {"advance": "PT11S"})  # the sandbox provisions orders in 10 s
    async with sandbox.client(portal_app=True) as pc:
        [subscription] = await pc.subscriptions.list(shop.customer_id)
    return subscription.id


async def _pass(sandbox: PartnerCenterFake, kind: str = "incremental") -> sync.SyncReport:
    async with fast_client(sandbox) as pc:
        report = await sync.run_sync(kind, pc=pc)  # type: ignore[arg-type]
    assert report.error is None
    return report


def _subscription(pc_id: str) -> Subscription:
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        return row.one()


def _history(subscription_id: int) -> list[SubscriptionHistory]:
    with session_scope() as session:
        query = select(SubscriptionHistory).where(
            SubscriptionHistory.subscription_id == subscription_id
        )
        return list(session.exec(query.order_by(col(SubscriptionHistory.id))).all())


async def test_a_subscription_bought_in_partner_center_is_imported_with_price_and_history(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)

    report = await _pass(sandbox)

    row = _subscription(pc_id)
    assert (row.quantity, row.status, row.friendly_name) == (2, "active", "Bought at Microsoft")
    assert row.tenant_id and row.pc_values == {
        "quantity": 2, "status": "active", "friendly_name": "Bought at Microsoft",
        "auto_renew": True, "next_term": None,
    }  # fmt: skip
    [imported] = _history(row.id or 0)
    assert imported.action == "import" and imported.origin == "partner_center"
    assert imported.unit_price == Decimal("7.50") and imported.currency == "USD"
    assert (imported.after or {})["changed_by"] == "admin@" + sandbox.state.partner_domain
    assert report.changes >= 1


async def test_a_seat_change_in_partner_center_is_applied_with_who_and_when(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)
    await _pass(sandbox)
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 4)
        await pc.subscriptions.rename(shop.customer_id, pc_id, "Sales")

    await _pass(sandbox)

    row = _subscription(pc_id)
    assert (row.quantity, row.friendly_name) == (4, "Sales")
    synced = [h for h in _history(row.id or 0) if h.action == "sync"]
    assert synced and synced[0].before == {"quantity": 2, "friendly_name": "Bought at Microsoft"}
    assert synced[0].after is not None and synced[0].after["quantity"] == 4
    assert synced[0].after["source"] == "audit" and synced[0].after["changed_at"]
    with session_scope() as session:
        lots = session.exec(select(SeatLot).where(SeatLot.subscription_id == row.id)).all()
    assert sorted(lot.quantity for lot in lots) == [2, 2]


async def test_a_suspension_in_partner_center_is_applied(sandbox: PartnerCenterFake) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=1)
    await _pass(sandbox)
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.suspend(shop.customer_id, pc_id)

    await _pass(sandbox)

    assert _subscription(pc_id).status == "suspended"


async def _user_with_licence(
    sandbox: PartnerCenterFake, shop: Shop, domain: str
) -> tuple[str, str]:
    async with sandbox.client(portal_app=True) as pc:
        user = await pc.users.create(
            shop.customer_id,
            CustomerUser(
                user_principal_name=f"ann@{domain}",
                first_name="Ann",
                last_name="Lee",
                display_name="Ann Lee",
                usage_location="DE",
                password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
            ),
        )
        [sku] = await pc.licenses.subscribed_skus(shop.customer_id)
        assert user.id is not None
        await pc.licenses.update(shop.customer_id, user.id, assign=[sku.product_sku.id])
    return user.id, sku.product_sku.id


async def test_users_and_licences_made_in_partner_center_appear(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    await _buy_in_partner_center(sandbox, shop, quantity=3)
    domain = sandbox.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
    user_id, sku_id = await _user_with_licence(sandbox, shop, domain)

    await _pass(sandbox)

    with session_scope() as session:
        user = session.exec(select(M365User).where(M365User.pc_user_id == user_id)).one()
        licences = session.exec(
            select(LicenceAssignment).where(LicenceAssignment.m365_user_id == user.id)
        ).all()
        skus = session.exec(
            select(SubscribedSku).where(SubscribedSku.tenant_id == user.tenant_id)
        ).all()
        audit = session.exec(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.entity == "m365_user")
            .where(AuditLogEntry.entity_id == str(user.id))
        ).all()
    assert (user.display_name, user.usage_location, user.state) == ("Ann Lee", "DE", "active")
    assert [lic.provisioning_sku_id for lic in licences] == [sku_id]
    assert licences[0].subscription_id is not None  # counted against the Basic subscription
    [sku] = [s for s in skus if s.sku_id == sku_id]
    assert (sku.active_units, sku.consumed_units, sku.available_units) == (3, 1, 2)
    assert "m365_user.created" in audit and "m365_user.licences" in audit

    async with sandbox.client(portal_app=True) as pc:
        await pc.users.delete(shop.customer_id, user_id)
    await _pass(sandbox)
    with session_scope() as session:
        user = session.exec(select(M365User).where(M365User.pc_user_id == user_id)).one()
        left = session.exec(
            select(LicenceAssignment).where(LicenceAssignment.m365_user_id == user.id)
        ).all()
    assert user.state == "inactive" and user.soft_deleted_at is not None and left == []


def _licence_skus(pc_user_id: str) -> list[str] | None:
    """The SKUs the portal's copy of a user holds (None: the portal has no such user)."""
    with session_scope() as session:
        user = session.exec(select(M365User).where(M365User.pc_user_id == pc_user_id)).first()
        if user is None:
            return None
        licences = session.exec(
            select(LicenceAssignment).where(LicenceAssignment.m365_user_id == user.id)
        ).all()
    assert all(licence.subscription_id is not None for licence in licences)
    return [licence.provisioning_sku_id for licence in licences]


async def test_the_full_reconcile_brings_users_and_licences_in_line(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    await _buy_in_partner_center(sandbox, shop, quantity=3)
    domain = sandbox.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
    user_id, sku_id = await _user_with_licence(sandbox, shop, domain)
    sandbox.state.table("auditRecords").clear()  # only the full reconcile can find them

    await _pass(sandbox, "full")
    assert _licence_skus(user_id) == [sku_id]  # counted against the Basic subscription

    async with sandbox.client(portal_app=True) as pc:
        await pc.licenses.update(shop.customer_id, user_id, remove=[sku_id])
    sandbox.state.table("auditRecords").clear()
    await _pass(sandbox, "full")
    assert _licence_skus(user_id) == []

    async with sandbox.client(portal_app=True) as pc:
        await pc.users.delete(shop.customer_id, user_id)
    del sandbox.state.table("users")[user_id]  # purged, as Entra does 30 days later
    await _pass(sandbox, "full")
    assert _licence_skus(user_id) is None


async def test_a_customer_added_in_partner_center_becomes_a_partner_customer(
    sandbox: PartnerCenterFake,
) -> None:
    made = await tenant_made_in_microsofts_portal(sandbox, "Fabrikam GmbH")

    await _pass(sandbox)

    with session_scope() as session:
        row = session.exec(
            select(PartnerCustomer).where(PartnerCustomer.customer_id == made.id)
        ).one()
    assert row.company_name == "Fabrikam GmbH" and row.domain.endswith(".onmicrosoft.com")


async def test_a_pass_killed_half_way_resumes_and_applies_nothing_twice(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)
    await _pass(sandbox)
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 3)
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 5)
        await pc.subscriptions.rename(shop.customer_id, pc_id, "Renamed")
    sandbox.kill_worker_after(GET_SUBSCRIPTION)

    with pytest.raises(WorkerKilled):
        await _pass(sandbox)
    _lease_runs_out()  # the dead worker's lease
    assert _subscription(pc_id).quantity == 2  # nothing of the killed pass was committed
    await _pass(sandbox)
    await _pass(sandbox)

    row = _subscription(pc_id)
    assert (row.quantity, row.friendly_name) == (5, "Renamed")
    synced = [h for h in _history(row.id or 0) if h.action == "sync"]
    assert len(synced) == 1 and (synced[0].before or {})["quantity"] == 2
    with session_scope() as session:
        lots = session.exec(select(SeatLot).where(SeatLot.subscription_id == row.id)).all()
    assert sum(lot.quantity for lot in lots) == 5


def _lease_runs_out() -> None:
    with session_scope() as session:
        session.exec(delete(JobLease).where(col(JobLease.name) == SYNC_LEASE))


async def test_only_one_pass_runs_at_a_time(sandbox: PartnerCenterFake) -> None:
    with session_scope() as session:
        assert try_acquire_lease(session, SYNC_LEASE, "other-worker", LEASE_TTL, datetime.now(UTC))
    try:
        with pytest.raises(sync.SyncBusy):
            await _pass(sandbox)
    finally:
        with session_scope() as session:
            release_lease(session, SYNC_LEASE, "other-worker")


async def _drifted(sandbox: PartnerCenterFake) -> tuple[Shop, str, int]:
    """A subscription the portal holds at 6 seats (a change it has pending) while someone sets
    it to 4 in Partner Center."""
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)
    await _pass(sandbox)
    with session_scope() as session:
        row = session.exec(select(Subscription).where(Subscription.pc_subscription_id == pc_id))
        pending = row.one()
        pending.quantity = 6
        session.add(pending)
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 4)
    await _pass(sandbox)
    [alert] = [
        a
        for a in sync.drift_alerts(actor=shop.broker.principal)
        if a.organization_id == shop.organization_id
    ]
    return shop, pc_id, alert.id


async def test_drift_is_raised_not_overwritten_and_accepting_takes_partner_centers_value(
    sandbox: PartnerCenterFake,
) -> None:
    shop, pc_id, alert_id = await _drifted(sandbox)
    [alert] = [a for a in sync.drift_alerts(actor=shop.broker.principal) if a.id == alert_id]
    assert (alert.field, alert.portal_value, alert.partner_center_value) == ("Seats", "6", "4")
    assert alert.changed_by == "admin@" + sandbox.state.partner_domain
    assert _subscription(pc_id).quantity == 6  # never silently overwritten
    await _pass(sandbox)  # the same drift is not raised twice
    assert [a.id for a in sync.drift_alerts(actor=shop.broker.principal) if a.id == alert_id]
    assert await sync.open_drift_count(actor=shop.customer.principal) == 0
    assert await sync.open_drift_count(actor=shop.broker.principal) >= 1

    resolved = await sync.resolve_drift(
        actor=shop.broker.principal, alert_id=alert_id, resolution="accept"
    )

    assert resolved.status == "accepted" and _subscription(pc_id).quantity == 4
    with pytest.raises(sync.DriftResolved):
        await sync.resolve_drift(
            actor=shop.broker.principal, alert_id=alert_id, resolution="dismiss"
        )
    with session_scope() as session:
        audited = session.exec(
            select(AuditLogEntry)
            .where(AuditLogEntry.entity == "drift_alert")
            .where(AuditLogEntry.entity_id == str(alert_id))
        ).one()
    assert audited.action == "drift_alert.accept"


async def test_reapplying_writes_the_portals_value_to_partner_center(
    sandbox: PartnerCenterFake,
) -> None:
    shop, pc_id, alert_id = await _drifted(sandbox)

    await sync.resolve_drift(actor=shop.broker.principal, alert_id=alert_id, resolution="reapply")

    assert sandbox.state.table("subscriptions")[pc_id]["quantity"] == 6
    await _pass(sandbox)
    row = _subscription(pc_id)
    assert row.quantity == 6 and (row.pc_values or {})["quantity"] == 6
    with session_scope() as session:
        still_open = session.exec(
            select(DriftAlert)
            .where(DriftAlert.entity_id == row.id)
            .where(DriftAlert.status == "open")
        ).all()
    assert still_open == []


async def test_customers_cannot_see_or_resolve_drift(sandbox: PartnerCenterFake) -> None:
    shop, _, alert_id = await _drifted(sandbox)
    with pytest.raises(NotAllowed):
        sync.drift_alerts(actor=shop.customer.principal)
    with pytest.raises(NotAllowed):
        await sync.resolve_drift(
            actor=shop.customer.principal, alert_id=alert_id, resolution="dismiss"
        )


async def test_the_full_reconcile_catches_what_the_audit_log_missed(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 7)
    sandbox.state.table("auditRecords").clear()  # as if Microsoft never logged them

    await _pass(sandbox)
    with session_scope() as session:
        missing = session.exec(
            select(Subscription).where(Subscription.pc_subscription_id == pc_id)
        ).first()
    assert missing is None
    report = await _pass(sandbox, "full")

    assert _subscription(pc_id).quantity == 7 and report.changes >= 1
    with session_scope() as session:
        status = session.exec(
            select(TenantSync).where(TenantSync.tenant_id == _subscription(pc_id).tenant_id)
        ).one()
    assert status.last_full_at is not None and status.last_error is None
    [run] = [r for r in sync.sync_runs(actor=shop.broker.principal) if r.id == report.run_id]
    assert run.kind == "Full reconcile" and run.status == "done" and run.percent == 100


async def _signed_event(sandbox: PartnerCenterFake, shop: Shop, pc_id: str) -> bytes:
    return json.dumps(
        {
            "EventName": "subscription-updated",
            "ResourceUri": f"https://api.example/webhooks/v1/customers/{shop.customer_id}"
            f"/subscriptions/{pc_id}",
            "ResourceName": "subscription",
            "AuditUri": None,
            "ResourceChangeUtcDate": "2026-11-30T10:00:00.0000000+00:00",
        }
    ).encode()


@pytest.fixture
def pinned_certificate(
    sandbox: PartnerCenterFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broker pinned the certificate Partner Center (the sandbox) signs events with."""
    path = tmp_path / "webhook-cert.pem"
    path.write_bytes(sandbox.download("/_sandbox/webhook-cert.pem"))
    monkeypatch.setenv("PARTNER_CENTER_WEBHOOK_CERT_FILE", str(path))
    get_settings.cache_clear()


@pytest.mark.usefixtures("pinned_certificate")
async def test_a_signed_webhook_refreshes_the_named_subscription_at_once(
    sandbox: PartnerCenterFake,
) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)
    await _pass(sandbox, "full")
    sandbox.state.table("subscriptions")[pc_id]["quantity"] = 9  # the body never says so
    body = await _signed_event(sandbox, shop, pc_id)
    headers = {
        "Authorization": f"Signature {sign(sandbox.state, body)}",
        "X-MS-Signature-Algorithm": "rsa-sha256",
    }

    changes = await sync.handle_event(body, headers)

    assert changes == 1 and _subscription(pc_id).quantity == 9
    [synced] = [h for h in _history(_subscription(pc_id).id or 0) if h.action == "sync"]
    assert (synced.after or {})["source"] == "webhook"


@pytest.mark.usefixtures("pinned_certificate")
@pytest.mark.parametrize(
    "signature",
    ["Signature bm90IGEgc2lnbmF0dXJl", "Signature ???", "", "tampered"],
)
async def test_a_webhook_with_a_bad_signature_is_refused(
    sandbox: PartnerCenterFake, signature: str
) -> None:
    shop = await _shop(sandbox)
    pc_id = await _buy_in_partner_center(sandbox, shop, quantity=2)
    await _pass(sandbox, "full")
    sandbox.state.table("subscriptions")[pc_id]["quantity"] = 9
    body = await _signed_event(sandbox, shop, pc_id)
    if signature == "tampered":  # a valid signature of another body
        signature = f"Signature {sign(sandbox.state, body + b' ')}"
    headers = {"Authorization": signature, "X-MS-Signature-Algorithm": "rsa-sha256"}

    with pytest.raises(sync.WebhookRefused):
        await sync.handle_event(body, headers)

    assert _subscription(pc_id).quantity == 2


async def test_an_alert_clears_itself_when_partner_center_comes_round(
    sandbox: PartnerCenterFake,
) -> None:
    shop, pc_id, alert_id = await _drifted(sandbox)
    async with sandbox.client(portal_app=True) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 6)

    await _pass(sandbox)

    assert alert_id not in [a.id for a in sync.drift_alerts(actor=shop.broker.principal)]
    assert alert_id in [
        a.id for a in sync.drift_alerts(actor=shop.broker.principal, status="cleared")
    ]
    assert _subscription(pc_id).quantity == 6
