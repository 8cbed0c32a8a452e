"""Licences of Microsoft 365 users against the sandbox: a user's subscriptions with their seats,
assigning and removing one user's seats (Partner Center and the portal's copy at once), no usage
location in words, a missing seat offered with its cost and bought on acceptance (a customer's
through the broker's approval), many users at once with a result each, and the seats bought and
not used with the time left to give them back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.m365_users import LicenceAssignment, M365User, SubscribedSku
from o365portal.db.tables.mail import OutboxMessage
from o365portal.db.tables.tenants import Tenant
from o365portal.partner_center.areas.users import LicensesArea
from o365portal.partner_center.models.users import CustomerUser, PasswordProfile
from o365portal.services import changes, clock, licences, subscriptions
from o365portal.services.errors import InvalidInput, NotFound
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.sync import _records as records
from tests.builders import new_customer, unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    BASIC_ENTRA_SKU,
    Shop,
    broker_settings,
    fast_client,
    open_shop,
    order_form,
)

pytestmark = pytest.mark.usefixtures("portal_env")


@pytest.fixture(autouse=True)
def clocks_back(portal_env: None, control: PartnerCenterFake) -> Iterator[None]:
    """Both clocks move in these tests; they go back afterwards (as in the subscription tests)."""
    started = control.state.now().isoformat()
    control.post("clock", {"now": clock.now().isoformat()})
    yield
    clock.set_offset(timedelta(0))
    control.reset()
    control.post("clock", {"now": started})


def _advance(control: PartnerCenterFake, days: int = 0, seconds: int = 0) -> None:
    clock.advance(timedelta(days=days, seconds=seconds))
    control.post("clock", {"advance": f"P{days}DT{seconds}S"})


async def _shop_with_basic(
    sandbox: PartnerCenterFake, quantity: int = 3, approvals: bool = False
) -> tuple[Shop, int]:
    """A shop whose tenant has a provisioned "Sales team" Business Basic subscription."""
    broker_settings(approvals=approvals)
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, price="7.50")
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(quantity=quantity, friendly_name="Sales team"),
            pc=pc,
        )
        _advance(sandbox, seconds=11)
        assert outcome.record_id in await complete_provisioning(pc=pc)
    await _sku_counts(sandbox, shop)
    return shop, outcome.record_id


async def _sku_counts(sandbox: PartnerCenterFake, shop: Shop) -> None:
    """The portal's SKU counts as the sync would store them from Partner Center."""
    async with fast_client(sandbox) as pc:
        skus = await pc.licenses.subscribed_skus(shop.customer_id)
    with session_scope() as session:
        tenant = session.exec(select(Tenant).where(Tenant.customer_id == shop.customer_id)).one()
        records.apply_subscribed_skus(session, tenant, skus, clock.now())


async def _users(
    sandbox: PartnerCenterFake, shop: Shop, count: int = 1, usage_location: str | None = "DE"
) -> list[int]:
    """Users made in Microsoft's directory and copied to the portal as the sync would; ids."""
    made = []
    domain = sandbox.state.table("customers")[shop.customer_id]["companyProfile"]["domain"]
    async with fast_client(sandbox) as pc:
        for _ in range(count):
            name = unique("user")
            user = await pc.users.create(
                shop.customer_id,
                CustomerUser(
                    user_principal_name=f"{name}@{domain}",
                    display_name=f"User {name}",
                    usage_location=usage_location,
                    password_profile=PasswordProfile(password=SecretStr("Kx9!vTq2#pLm7")),
                ),
            )
            made.append(user)
    with session_scope() as session:
        tenant = session.exec(select(Tenant).where(Tenant.customer_id == shop.customer_id)).one()
        rows = [
            M365User(
                tenant_id=tenant.id or 0,
                pc_user_id=user.id or "",
                user_principal_name=user.user_principal_name or "",
                display_name=user.display_name or "",
                usage_location=usage_location,
                synced_at=clock.now(),
            )
            for user in made
        ]
        session.add_all(rows)
        session.flush()
        return [row.id or 0 for row in rows]


def _licence_updates(sandbox: PartnerCenterFake, shop: Shop) -> int:
    """How many licence updates Partner Center made for the shop's tenant (its audit log)."""
    return sum(
        1
        for r in sandbox.state.table("auditRecords").values()
        if r["customerId"] == shop.customer_id
        and r["operationType"] == "update_customer_user_licenses"
    )


class UpdateCalls:
    """Counts the licence updates the portal sends to Partner Center, refused ones too."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = LicensesArea.update

        async def counted(area: LicensesArea, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(area, *args, **kwargs)

        monkeypatch.setattr(LicensesArea, "update", counted)


def _microsoft_licences(sandbox: PartnerCenterFake, user_id: int) -> list[str]:
    with session_scope() as session:
        user = session.get(M365User, user_id)
        assert user is not None
        pc_user_id = user.pc_user_id
    return [held["id"].lower() for held in sandbox.state.table("users")[pc_user_id]["licenses"]]


def _portal_licences(user_id: int) -> list[tuple[str, int | None]]:
    with session_scope() as session:
        rows = session.exec(
            select(LicenceAssignment).where(LicenceAssignment.m365_user_id == user_id)
        ).all()
        return [(row.provisioning_sku_id.lower(), row.subscription_id) for row in rows]


def _portal_counts(shop: Shop) -> tuple[int, int]:
    with session_scope() as session:
        row = session.exec(
            select(SubscribedSku)
            .join(Tenant, col(Tenant.id) == col(SubscribedSku.tenant_id))
            .where(Tenant.customer_id == shop.customer_id)
        ).one()
        return row.consumed_units, row.available_units


def _row(shop: Shop, subscription_id: int) -> subscriptions.SubscriptionRow:
    rows = subscriptions.list_subscriptions(
        actor=shop.broker.principal, organization_id=shop.organization_id
    ).subscriptions
    return next(row for row in rows if row.id == subscription_id)


SKU = BASIC_ENTRA_SKU.lower()


async def test_a_users_licences_list_each_subscription_with_its_seats(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=3)
    [user_id] = await _users(sandbox, shop)

    view = licences.user_licences(actor=shop.customer.principal, user_id=user_id)

    [line] = view.lines
    assert (line.subscription_id, line.friendly_name, line.product) == (
        sub_id, "Sales team", "Microsoft 365 Business Basic",
    )  # fmt: skip
    assert (line.entra_sku, line.bought, line.consumed, line.available) == (SKU, 3, "0", "3")
    assert line.usage == "3 bought · 0 in use · 3 free"
    assert not line.assigned and line.assignable and view.note == ""


async def test_assigning_and_removing_writes_partner_center_and_the_portals_copy_at_once(
    sandbox: PartnerCenterFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=3)
    [user_id] = await _users(sandbox, shop)
    heard: list[tuple[int | None, tuple[str, ...]]] = []
    monkeypatch.setattr(changes, "announce", lambda org, *topics: heard.append((org, topics)))

    outcome = await licences.set_licences(
        actor=shop.customer.principal, user_id=user_id, assign=[sub_id], remove=[]
    )

    assert outcome.kind == "done" and "saved" in outcome.message
    assert _microsoft_licences(sandbox, user_id) == [SKU]
    assert _portal_licences(user_id) == [(SKU, sub_id)]
    assert _portal_counts(shop) == (1, 2)
    assert (_row(shop, sub_id).consumed, _row(shop, sub_id).free) == ("1", "2")
    [line] = licences.user_licences(actor=shop.customer.principal, user_id=user_id).lines
    assert line.assigned and line.usage == "3 bought · 1 in use · 2 free"
    assert heard == [(shop.organization_id, (changes.USERS, changes.SUBSCRIPTIONS))]

    await licences.set_licences(
        actor=shop.customer.principal, user_id=user_id, assign=[], remove=[sub_id]
    )
    assert _microsoft_licences(sandbox, user_id) == [] and _portal_licences(user_id) == []
    assert _portal_counts(shop) == (0, 3)


async def test_a_user_without_usage_location_is_told_what_to_set(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox)
    [user_id] = await _users(sandbox, shop, usage_location=None)

    view = licences.user_licences(actor=shop.broker.principal, user_id=user_id)
    with pytest.raises(licences.UsageLocationMissing, match="has no usage location"):
        await licences.set_licences(
            actor=shop.broker.principal, user_id=user_id, assign=[sub_id], remove=[]
        )

    assert "usage location" in view.note
    assert _microsoft_licences(sandbox, user_id) == []
    assert _licence_updates(sandbox, shop) == 0


async def test_partner_centers_usage_location_refusal_reads_the_same(
    sandbox: PartnerCenterFake,
) -> None:
    """The portal's copy says DE, but Microsoft's user has none (changed there since)."""
    shop, sub_id = await _shop_with_basic(sandbox)
    [user_id] = await _users(sandbox, shop)
    with session_scope() as session:
        pc_user_id = (session.get(M365User, user_id) or M365User()).pc_user_id
    sandbox.state.table("users")[pc_user_id]["usageLocation"] = None

    with pytest.raises(licences.UsageLocationMissing):
        await licences.set_licences(
            actor=shop.broker.principal, user_id=user_id, assign=[sub_id], remove=[]
        )
    assert _portal_licences(user_id) == []


async def test_other_organizations_users_and_unknown_subscriptions_are_refused(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox)
    [user_id] = await _users(sandbox, shop)
    stranger = new_customer(
        (await _shop_with_basic(sandbox, quantity=1))[0].organization_id
    ).principal

    with pytest.raises(NotFound):
        licences.user_licences(actor=stranger, user_id=user_id)
    with pytest.raises(NotFound):
        await licences.set_licences(actor=stranger, user_id=user_id, assign=[sub_id], remove=[])
    with pytest.raises(InvalidInput) as refused:
        await licences.set_licences(
            actor=shop.broker.principal, user_id=user_id, assign=[sub_id + 10_000], remove=[]
        )
    assert "no licences in this tenant" in refused.value.field_errors["licences"]


async def test_no_free_seat_offers_the_seats_with_their_cost_and_buying_completes_it(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=1)
    first, second = await _users(sandbox, shop, count=2)
    actor = shop.broker.principal
    await licences.set_licences(actor=actor, user_id=first, assign=[sub_id], remove=[])

    outcome = await licences.set_licences(actor=actor, user_id=second, assign=[sub_id], remove=[])

    assert outcome.kind == "offer"
    [offer] = outcome.offers
    assert (offer.subscription_id, offer.missing, offer.quantity) == (sub_id, 1, 2)
    assert offer.words == "Sales team has no free seat: buy 1 seat (1 → 2 seats)."
    expected = subscriptions.preview_quantity(actor=actor, subscription_id=sub_id, quantity=2)
    assert offer.preview == expected and offer.preview.allowed
    assert _microsoft_licences(sandbox, second) == []

    done = await licences.buy_and_assign(actor=actor, user_id=second, assign=[sub_id], remove=[])

    assert done.kind == "done"
    assert _microsoft_licences(sandbox, second) == [SKU]
    assert _row(shop, sub_id).quantity == "2"
    assert (_row(shop, sub_id).consumed, _row(shop, sub_id).free) == ("2", "0")


async def test_a_seat_microsoft_has_not_free_becomes_an_offer_not_its_error(
    sandbox: PartnerCenterFake,
) -> None:
    """The portal's counts say a seat is free; Microsoft's 60012 says otherwise."""
    shop, sub_id = await _shop_with_basic(sandbox, quantity=2)
    *others, user_id = await _users(sandbox, shop, count=3)
    async with fast_client(sandbox) as pc:  # assigned in Microsoft's portal, not synced yet
        for other in others:
            with session_scope() as session:
                pc_user_id = (session.get(M365User, other) or M365User()).pc_user_id
            await pc.licenses.update(shop.customer_id, pc_user_id, assign=[BASIC_ENTRA_SKU])
    assert _portal_counts(shop) == (0, 2)

    outcome = await licences.set_licences(
        actor=shop.broker.principal, user_id=user_id, assign=[sub_id], remove=[]
    )

    assert outcome.kind == "offer"
    [offer] = outcome.offers
    assert (offer.missing, offer.quantity) == (1, 3)
    assert "60012" not in outcome.message and "run out" not in outcome.message
    assert _portal_counts(shop) == (2, 0)  # Microsoft's counts, read when it said no
    assert _microsoft_licences(sandbox, user_id) == []


async def test_a_customers_purchase_waits_for_approval_then_the_licence_follows_by_itself(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=1, approvals=True)
    first, second = await _users(sandbox, shop, count=2)
    actor = shop.customer.principal
    await licences.set_licences(actor=actor, user_id=first, assign=[sub_id], remove=[])

    outcome = await licences.buy_and_assign(actor=actor, user_id=second, assign=[sub_id], remove=[])

    assert outcome.kind == "approval" and "approval" in outcome.message
    assert _microsoft_licences(sandbox, second) == []
    assert _row(shop, sub_id).quantity == "1"
    with session_scope() as session:
        asked = session.exec(
            select(ApprovalRequest).where(ApprovalRequest.organization_id == shop.organization_id)
        ).all()
    assert [r.payload["values"] for r in asked] == [{"quantity": 2}]
    assert await licences.complete_pending_licences() == []  # not approved yet

    await subscriptions.approve_request(actor=shop.broker.principal, request_id=asked[0].id or 0)
    assert await licences.complete_pending_licences() == [asked[0].id]
    assert await licences.complete_pending_licences() == []  # once

    assert _microsoft_licences(sandbox, second) != []
    assert _row(shop, sub_id).quantity == "2"
    with session_scope() as session:
        told = session.exec(
            select(OutboxMessage.subject).where(OutboxMessage.to_address == shop.customer.email)
        ).all()
    assert "Your licence change" in told


async def test_hundreds_of_users_get_a_seat_each_with_progress_and_a_result_each(
    sandbox: PartnerCenterFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=118)
    user_ids = await _users(sandbox, shop, count=120)
    with session_scope() as session:  # one of them has no usage location
        row = session.get(M365User, user_ids[5])
        assert row is not None
        row.usage_location = None
    seen: list[tuple[int, int]] = []
    calls = UpdateCalls(monkeypatch)

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    report = await licences.assign_in_bulk(
        actor=shop.broker.principal, user_ids=user_ids, subscription_ids=[sub_id],
        progress=progress,
    )  # fmt: skip

    assert seen[0] == (1, 120) and seen[-1] == (120, 120) and len(seen) == 120
    assert len(report.results) == 120 and report.summary == "118 of 120 users done; 2 not."
    [no_location, no_seat] = report.failed
    assert no_location.user_id == user_ids[5] and "usage location" in no_location.message
    assert no_seat.user_id == user_ids[-1] and no_seat.message == "No free seat of Sales team."
    [offer] = report.offers
    assert (offer.subscription_id, offer.missing, offer.quantity) == (sub_id, 1, 119)
    assert _licence_updates(sandbox, shop) == 118
    assert calls.count == 118  # one call per user; none for the users left out
    assert _portal_counts(shop) == (118, 0)
    assert _microsoft_licences(sandbox, user_ids[0]) == [SKU]
    assert _portal_licences(user_ids[0]) == [(SKU, sub_id)]

    removed = await licences.remove_in_bulk(
        actor=shop.broker.principal, user_ids=user_ids, subscription_ids=[sub_id]
    )
    assert removed.summary == "120 of 120 users done."
    assert _portal_counts(shop) == (0, 118)
    assert _microsoft_licences(sandbox, user_ids[0]) == []


async def test_a_refusal_for_one_user_does_not_stop_the_others(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=3)
    user_ids = await _users(sandbox, shop, count=3)
    with session_scope() as session:
        pc_user_id = (session.get(M365User, user_ids[1]) or M365User()).pc_user_id
    del sandbox.state.table("users")[pc_user_id]  # gone from Microsoft since the last sync

    report = await licences.assign_in_bulk(
        actor=shop.broker.principal, user_ids=user_ids, subscription_ids=[sub_id]
    )

    assert [r.done for r in report.results] == [True, False, True]
    assert "refused the licence change" in report.results[1].message
    assert _portal_counts(shop) == (2, 1)


async def test_unused_seats_say_until_when_they_can_be_given_back(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=3)
    [user_id] = await _users(sandbox, shop)
    actor = shop.broker.principal
    await licences.set_licences(actor=actor, user_id=user_id, assign=[sub_id], remove=[])
    [lot] = subscriptions.commitment_ledger(actor=actor, subscription_id=sub_id).lots

    [unused] = licences.unused_seats(actor=actor, organization_id=shop.organization_id)

    assert (unused.subscription_id, unused.bought, unused.consumed, unused.free) == (
        sub_id, 3, 1, 2,
    )  # fmt: skip
    assert (unused.reducible, unused.reduce_until) == (2, lot.deadline)
    assert unused.words.startswith(f"2 seats free: remove up to 2 until {lot.deadline}")

    _advance(sandbox, days=8)  # the 7-day window is over
    [later] = licences.unused_seats(actor=actor, organization_id=shop.organization_id)
    assert (later.reducible, later.reduce_until) == (0, "")
    assert "no refund now" in later.words

    await licences.set_licences(actor=actor, user_id=user_id, assign=[], remove=[sub_id])
    with pytest.raises(NotFound):
        licences.unused_seats(
            actor=new_customer(
                (await _shop_with_basic(sandbox, quantity=1))[0].organization_id
            ).principal,
            organization_id=shop.organization_id,
        )


async def test_a_bulk_run_offers_the_seats_microsoft_had_not_free(
    sandbox: PartnerCenterFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The portal counts 2 free seats; Microsoft has 1 (assigned in its portal since)."""
    shop, sub_id = await _shop_with_basic(sandbox, quantity=2)
    outsider, *user_ids = await _users(sandbox, shop, count=4)
    with session_scope() as session:
        pc_outsider = (session.get(M365User, outsider) or M365User()).pc_user_id
    async with fast_client(sandbox) as pc:
        await pc.licenses.update(shop.customer_id, pc_outsider, assign=[BASIC_ENTRA_SKU])
    calls = UpdateCalls(monkeypatch)

    report = await licences.assign_in_bulk(
        actor=shop.broker.principal, user_ids=user_ids, subscription_ids=[sub_id]
    )

    assert [r.done for r in report.results] == [True, False, False]
    assert {r.message for r in report.failed} == {"No free seat of Sales team."}
    assert [(o.missing, o.quantity) for o in report.offers] == [(2, 4)]
    assert _licence_updates(sandbox, shop) == 2  # the outsider's and the first user's
    assert calls.count == 2  # the second user's was refused; none for the third
    assert _microsoft_licences(sandbox, user_ids[2]) == []


TEAMS = "57ff2da0-773e-42df-b2af-ffb7a2317929"
SWAY = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"


async def test_a_users_service_plans_are_read_and_switched_off_per_licence_without_a_seat(
    sandbox: PartnerCenterFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=3)
    [user_id, other_id] = await _users(sandbox, shop, count=2)
    actor = shop.customer.principal
    await licences.set_licences(actor=actor, user_id=user_id, assign=[sub_id], remove=[])
    assert await licences.user_plans(actor=actor, user_id=other_id) == []
    [held] = await licences.user_plans(actor=actor, user_id=user_id)
    assert (held.subscription_id, held.friendly_name) == (sub_id, "Sales team")
    by_id = {plan.plan_id: plan for plan in held.plans}
    assert by_id[TEAMS].name == "Microsoft Teams" and len(by_id) == 14
    assert all(plan.enabled for plan in held.plans)
    heard: list[tuple[int | None, tuple[str, ...]]] = []
    monkeypatch.setattr(changes, "announce", lambda org, *topics: heard.append((org, topics)))
    updates = _licence_updates(sandbox, shop)

    said = await licences.set_plans(
        actor=actor, user_id=user_id, subscription_id=sub_id, disabled=[TEAMS.upper(), SWAY]
    )

    assert said == f"Off for {_name(user_id)} on Sales team: Microsoft Teams, Sway."
    [held] = await licences.user_plans(actor=actor, user_id=user_id)
    assert sorted(p.plan_id for p in held.plans if not p.enabled) == sorted([TEAMS, SWAY])
    assert _licence_updates(sandbox, shop) == updates + 1
    assert _microsoft_licences(sandbox, user_id) == [SKU]
    assert _portal_counts(shop) == (1, 2)  # the same seat: none more taken
    assert heard == [(shop.organization_id, (changes.USERS,))]
    with session_scope() as session:
        row = session.exec(
            select(AuditLogEntry).where(AuditLogEntry.action == "m365_user.service_plans")
        ).all()[-1]
    assert row.entity_id == str(user_id) and row.details["disabled"] == sorted([TEAMS, SWAY])

    said = await licences.set_plans(
        actor=actor, user_id=user_id, subscription_id=sub_id, disabled=[]
    )
    assert said.startswith("All service plans of Sales team are on")
    [held] = await licences.user_plans(actor=actor, user_id=user_id)
    assert all(plan.enabled for plan in held.plans)


async def test_unknown_plans_and_licences_not_held_are_refused_in_words(
    sandbox: PartnerCenterFake,
) -> None:
    shop, sub_id = await _shop_with_basic(sandbox, quantity=3)
    [user_id] = await _users(sandbox, shop)
    actor = shop.broker.principal
    with pytest.raises(InvalidInput) as refused:
        await licences.set_plans(
            actor=actor, user_id=user_id, subscription_id=sub_id, disabled=[TEAMS]
        )
    assert refused.value.field_errors["plans"].endswith("holds no licence of Sales team.")
    await licences.set_licences(actor=actor, user_id=user_id, assign=[sub_id], remove=[])
    updates = _licence_updates(sandbox, shop)
    with pytest.raises(InvalidInput) as refused:
        await licences.set_plans(
            actor=actor, user_id=user_id, subscription_id=sub_id, disabled=[TEAMS, "x"]
        )
    assert refused.value.field_errors == {
        "plans": "Not a service plan of Microsoft 365 Business Basic: x."
    }
    with pytest.raises(InvalidInput) as refused:
        await licences.set_plans(actor=actor, user_id=user_id, subscription_id=-1, disabled=[])
    assert "no licences in this tenant" in refused.value.field_errors["plans"]
    other, _ = await _shop_with_basic(sandbox, quantity=1)
    with pytest.raises(NotFound):
        await licences.user_plans(actor=other.customer.principal, user_id=user_id)

    with session_scope() as session:  # deleted: nothing to show, nothing to change
        row = session.get(M365User, user_id)
        assert row is not None
        row.state = "inactive"
        session.add(row)
    assert await licences.user_plans(actor=actor, user_id=user_id) == []
    with pytest.raises(NotFound):
        await licences.set_plans(actor=actor, user_id=user_id, subscription_id=sub_id, disabled=[])
    assert _licence_updates(sandbox, shop) == updates


def _name(user_id: int) -> str:
    with session_scope() as session:
        user = session.get(M365User, user_id)
        assert user is not None
        return user.display_name
