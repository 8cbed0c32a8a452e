"""Changing a subscription against the sandbox under NCE rules: seat changes inside and outside
each lot's 7-day window (both clocks moved), cancellation within and after 7 days, suspend and
activate, renewal settings, Partner Center's refusals in words, a PATCH whose answer is lost
applied once, and a customer's change through the broker's approval. The broker's preview of a
change equals the lines Microsoft bills for it (the sandbox's reconciliation lines)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ApprovalStatus
from o365portal.db.tables.approvals import ApprovalRequest
from o365portal.db.tables.mail import OutboxMessage
from o365portal.db.tables.subscriptions import SeatLot, Subscription, SubscriptionHistory
from o365portal.domain.money import SALES_ROUNDING
from o365portal.domain.rating import rate_history
from o365portal.sandbox.core.rows import RECON_LINES
from o365portal.services import clock, subscriptions, sync
from o365portal.services.accounts import _settings as broker_settings_service
from o365portal.services.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    PartnerCenterBusy,
    PartnerCenterRefused,
    PartnerCenterUnavailable,
)
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.pricing import CatalogItemRef
from o365portal.services.pricing._store import number_format
from o365portal.services.subscriptions._approved import STALE_AFTER
from o365portal.services.subscriptions._events import rating_events
from o365portal.services.subscriptions._preview import line_words, sales_price_on
from o365portal.services.subscriptions._subject import load_subject
from tests.builders import new_broker, new_customer, new_organization
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    BASIC_ANNUAL,
    BASIC_MONTHLY,
    Shop,
    broker_settings,
    ensure_cost,
    fast_client,
    open_shop,
    order_form,
    sandbox_subscriptions,
)

pytestmark = pytest.mark.usefixtures("portal_env")
PATCH = "PATCH /v1/customers/*/subscriptions/*"


@pytest.fixture(autouse=True)
def clocks_back(portal_env: None, control: PartnerCenterFake) -> Iterator[None]:
    """Tests move both clocks; the portal's database and the sandbox are shared by the session,
    so both go back to where they were afterwards."""
    started = control.state.now().isoformat()
    control.post("clock", {"now": clock.now().isoformat()})  # one time on both sides
    yield
    clock.set_offset(timedelta(0))
    control.reset()
    control.post("clock", {"now": started})


def _advance(control: PartnerCenterFake, days: int = 0, seconds: int = 0) -> None:
    """Move both clocks: the portal's business time and Microsoft's."""
    clock.advance(timedelta(days=days, seconds=seconds))
    control.post("clock", {"advance": f"P{days}DT{seconds}S"})


async def _bought(
    sandbox: PartnerCenterFake,
    control: PartnerCenterFake,
    quantity: int = 3,
    ref: CatalogItemRef = BASIC_MONTHLY,
    **settings: Any,
) -> tuple[Shop, int]:
    """A shop with a provisioned subscription "Sales team" of `ref` at 7.50 a seat a month (90.00
    a year billed annually)."""
    broker_settings(**settings)
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, price="7.50")
        outcome = await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(ref, quantity=quantity, friendly_name="Sales team"),
            pc=pc,
        )
        _advance(control, seconds=11)  # Microsoft provisions it
        assert outcome.record_id in await complete_provisioning(pc=pc)
    return shop, outcome.record_id


def _microsofts_cost(sandbox: PartnerCenterFake, shop: Shop, ref: CatalogItemRef) -> None:
    """The portal's cost list holds Microsoft's price of `ref` (only these tests price the
    annual item, so the shared database keeps one cost for it)."""
    [pc_row] = sandbox_subscriptions(sandbox, shop.customer_id)
    ensure_cost(ref, pc_row["_sandbox"]["unitPrice"])


def _microsoft(sandbox: PartnerCenterFake, shop: Shop) -> dict[str, Any]:
    [row] = sandbox_subscriptions(sandbox, shop.customer_id)
    return row


def _recon_amounts(sandbox: PartnerCenterFake, shop: Shop, charge_type: str) -> list[str]:
    lines = sandbox.state.table(RECON_LINES).values()
    return [
        line["subtotal"]
        for line in sorted(lines, key=lambda line: line["_sequence"])
        if line["customerId"] == shop.customer_id and line["chargeType"] == charge_type
    ]


def _row(subscription_id: int) -> Subscription:
    with session_scope() as session:
        row = session.get(Subscription, subscription_id)
        assert row is not None
        return row


def _lots(subscription_id: int) -> list[tuple[int, str]]:
    with session_scope() as session:
        rows = session.exec(
            select(SeatLot)
            .where(SeatLot.subscription_id == subscription_id)
            .order_by(col(SeatLot.added_at))
        ).all()
        return [(lot.quantity, lot.reason.value) for lot in rows]


def _history(subscription_id: int, action: str) -> list[SubscriptionHistory]:
    with session_scope() as session:
        rows = session.exec(
            select(SubscriptionHistory)
            .where(SubscriptionHistory.subscription_id == subscription_id)
            .where(SubscriptionHistory.action == action)
        ).all()
        return list(rows)


def _amount(words: str) -> str:
    return words.split()[0]


async def test_adding_seats_bills_what_the_preview_showed_and_opens_a_new_lot(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=3, ref=BASIC_ANNUAL)
    _microsofts_cost(sandbox, shop, BASIC_ANNUAL)
    broker = shop.broker.principal
    _advance(control, days=3)

    preview = subscriptions.preview_quantity(
        actor=broker, subscription_id=subscription_id, quantity="5"
    )
    assert isinstance(preview, subscriptions.BrokerChangePreview) and preview.allowed
    assert preview.per_cycle_before == "270.00 USD per year for 3 seats"
    assert preview.per_cycle_after == "450.00 USD per year for 5 seats"
    assert "the 2 seats added can be removed again" in preview.undo
    assert [line.quantity for line in preview.lines] == [3, 5]

    async with fast_client(sandbox) as pc:
        outcome = await subscriptions.change_quantity(
            actor=broker, subscription_id=subscription_id, quantity="5", pc=pc
        )

    assert outcome.kind == "done" and "now has 5 seats" in outcome.message
    assert _microsoft(sandbox, shop)["quantity"] == 5
    costs = [
        line.cost for line in preview.lines if isinstance(line, subscriptions.BrokerChargeLine)
    ]
    assert [_amount(cost) for cost in costs] == _recon_amounts(sandbox, shop, "addQuantity")
    assert _lots(subscription_id) == [(3, "purchase"), (2, "addition")]
    row = _row(subscription_id)
    assert (row.quantity, (row.pc_values or {})["quantity"]) == (5, 5)
    [change] = _history(subscription_id, "quantity")
    assert (change.before, change.after or {}) == ({"quantity": 3}, change.after)
    assert (change.after or {})["quantity"] == 5 and (change.after or {})["effect"] == preview.now


async def test_a_customers_preview_holds_no_cost_and_no_margin(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control)
    customer = shop.customer.principal

    preview = subscriptions.preview_quantity(
        actor=customer, subscription_id=subscription_id, quantity=4
    )

    assert type(preview) is subscriptions.ChangePreview
    assert all(type(line) is subscriptions.ChargeLine for line in preview.lines)
    assert "cost" not in repr(preview).lower() and "margin" not in repr(preview).lower()
    elsewhere = new_organization(new_broker().principal)
    stranger = new_customer(elsewhere.id)  # another organization's customer
    with pytest.raises(NotFound):
        subscriptions.preview_quantity(
            actor=stranger.principal, subscription_id=subscription_id, quantity=4
        )


async def test_seats_can_be_removed_only_within_seven_days_of_being_added(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=5)
    broker = shop.broker.principal
    async with fast_client(sandbox) as pc:
        await subscriptions.change_quantity(
            actor=broker, subscription_id=subscription_id, quantity=4, pc=pc
        )
        assert _recon_amounts(sandbox, shop, "removeQuantity")  # refunded within the window

        _advance(control, days=8)
        late = subscriptions.preview_quantity(
            actor=broker, subscription_id=subscription_id, quantity=3
        )
        assert not late.allowed and late.schedule_offer
        assert late.refusal == "No seats can be removed now: every seat is past its 7-day window."
        assert any("could be removed until" in note for note in late.notes)
        with pytest.raises(InvalidInput):
            await subscriptions.change_quantity(
                actor=broker, subscription_id=subscription_id, quantity=3, pc=pc
            )

        await subscriptions.change_quantity(
            actor=broker, subscription_id=subscription_id, quantity=6, pc=pc
        )  # two new seats, with a window of their own
        too_many = subscriptions.preview_quantity(
            actor=broker, subscription_id=subscription_id, quantity=3
        )
        assert too_many.refusal.startswith("Only 2 seats can be removed now")
        await subscriptions.change_quantity(
            actor=broker, subscription_id=subscription_id, quantity=5, pc=pc
        )

    assert _microsoft(sandbox, shop)["quantity"] == 5
    assert _lots(subscription_id) == [(4, "purchase"), (1, "addition")]
    ledger = subscriptions.commitment_ledger(actor=broker, subscription_id=subscription_id)
    assert [(lot.reason, lot.seats, lot.refundable) for lot in ledger.lots] == [
        ("Seats added", "1 seat", 1),
        ("Purchase", "4 seats", 0),
    ]
    assert ledger.refundable == 1 and ledger.cancel_until == ""


async def test_microsofts_refusal_of_a_late_reduction_is_put_in_words(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    """The portal's lots say the seats are still in their window; Microsoft knows better."""
    shop, subscription_id = await _bought(sandbox, control, quantity=5)
    control.post("clock", {"advance": "P8D"})  # only Microsoft's clock: the portal is behind

    async with fast_client(sandbox) as pc:
        with pytest.raises(PartnerCenterRefused) as refused:
            await subscriptions.change_quantity(
                actor=shop.broker.principal, subscription_id=subscription_id, quantity=4, pc=pc
            )

    assert "past their 7-day window (800090)" in str(refused.value)
    assert "Schedule the lower quantity for the renewal" in str(refused.value)
    assert _row(subscription_id).quantity == 5 and _lots(subscription_id) == [(5, "purchase")]


async def test_cancel_within_seven_days_refunds_what_the_preview_showed(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=2, ref=BASIC_ANNUAL)
    _microsofts_cost(sandbox, shop, BASIC_ANNUAL)
    broker = shop.broker.principal
    _advance(control, days=2)

    preview = subscriptions.preview_cancel(actor=broker, subscription_id=subscription_id)
    assert preview.allowed and preview.now.endswith("refunded now")
    async with fast_client(sandbox) as pc:
        await subscriptions.cancel_subscription(
            actor=broker, subscription_id=subscription_id, pc=pc
        )

    assert _microsoft(sandbox, shop)["status"] == "deleted"
    [refund] = [line for line in preview.lines if isinstance(line, subscriptions.BrokerChargeLine)]
    assert [_amount(refund.cost)] == _recon_amounts(sandbox, shop, "cancelImmediate")
    assert _row(subscription_id).status == "deleted" and _lots(subscription_id) == []
    with pytest.raises(Exception, match="Microsoft accepts no change"):
        subscriptions.preview_cancel(actor=broker, subscription_id=subscription_id)


async def test_cancel_after_seven_days_is_refused_with_the_window_and_the_way_out(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control)
    _advance(control, days=8)

    preview = subscriptions.preview_cancel(
        actor=shop.broker.principal, subscription_id=subscription_id
    )

    assert not preview.allowed
    assert preview.refusal.startswith("Cancellation was possible until")
    assert "Turn auto-renew off" in preview.refusal
    async with fast_client(sandbox) as pc:
        with pytest.raises(InvalidInput):
            await subscriptions.cancel_subscription(
                actor=shop.broker.principal, subscription_id=subscription_id, pc=pc
            )
    assert _microsoft(sandbox, shop)["status"] == "active"


async def test_suspend_keeps_billing_and_activate_brings_it_back_brokers_only(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control)
    broker = shop.broker.principal
    with pytest.raises(NotAllowed):
        subscriptions.preview_status(
            actor=shop.customer.principal, subscription_id=subscription_id, status="suspended"
        )

    preview = subscriptions.preview_status(
        actor=broker, subscription_id=subscription_id, status="suspended"
    )
    assert any("NCE keeps billing a suspended subscription" in note for note in preview.notes)
    async with fast_client(sandbox) as pc:
        await subscriptions.set_status(
            actor=broker, subscription_id=subscription_id, status="suspended", pc=pc
        )
        assert _microsoft(sandbox, shop)["status"] == "suspended"
        assert (_row(subscription_id).status, _row(subscription_id).auto_renew) == (
            "suspended",
            False,
        )
        frozen = subscriptions.preview_quantity(
            actor=broker, subscription_id=subscription_id, quantity=4
        )
        assert not frozen.allowed and "activate it first" in frozen.refusal

        await subscriptions.set_status(
            actor=broker, subscription_id=subscription_id, status="active", pc=pc
        )
    assert (
        _microsoft(sandbox, shop)["status"] == "active" and _row(subscription_id).status == "active"
    )
    assert [h.after for h in _history(subscription_id, "suspend")] == [{"status": "suspended"}]


async def test_renewal_changes_are_stored_dropped_by_a_seat_change_and_applied_at_renewal(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=5)
    broker = shop.broker.principal
    wanted = subscriptions.RenewalInput(auto_renew=True, quantity=2)

    preview = subscriptions.preview_renewal(
        actor=broker, subscription_id=subscription_id, wanted=wanted
    )
    assert preview.allowed and "15.00 USD per month for 2 seats" in preview.per_cycle_after
    assert any("can be changed until" in note for note in preview.notes)
    async with fast_client(sandbox) as pc:
        await subscriptions.set_renewal(
            actor=broker, subscription_id=subscription_id, wanted=wanted, pc=pc
        )
        assert _microsoft(sandbox, shop)["scheduledNextTermInstructions"]["quantity"] == 2
        assert (_row(subscription_id).renewal_changes or {})["quantity"] == 2

        noted = subscriptions.preview_quantity(
            actor=broker, subscription_id=subscription_id, quantity=6
        )
        assert any("removes the changes scheduled for the renewal" in n for n in noted.notes)
        await subscriptions.change_quantity(
            actor=broker, subscription_id=subscription_id, quantity=6, pc=pc
        )
        assert "scheduledNextTermInstructions" not in _microsoft(sandbox, shop)
        assert _row(subscription_id).renewal_changes is None

        await subscriptions.set_renewal(
            actor=broker, subscription_id=subscription_id, wanted=wanted, pc=pc
        )
    term_end = _row(subscription_id).term_end_at
    assert term_end is not None
    days = (term_end.date() - clock.today()).days + 2
    control.post("clock", {"advance": f"P{days}D"})  # Microsoft renews after the term end
    clock.advance(timedelta(days=days))
    assert _microsoft(sandbox, shop)["quantity"] == 2

    async with fast_client(sandbox) as pc:
        await sync.run_sync("tenant", customer_id=shop.customer_id, pc=pc)
    renewed = _row(subscription_id)
    assert (renewed.quantity, renewed.renewal_changes) == (2, None)
    assert renewed.term_end_at is not None and renewed.term_end_at > term_end
    assert _lots(subscription_id) == [(2, "renewal")]
    [renewal] = _history(subscription_id, "renewal")
    assert (renewal.before or {})["quantity"] == 6 and (renewal.after or {})["quantity"] == 2
    ledger = subscriptions.commitment_ledger(actor=broker, subscription_id=subscription_id)
    assert ledger.refundable == 2 and ledger.cancel_until  # a new 7-day window
    with session_scope() as session:  # the renewal bills what its preview said
        events = rating_events(session, subscription_id)
        price_on = sales_price_on(session, load_subject(session, broker, subscription_id))
        lines = rate_history(
            events, until=clock.today(), price_on=price_on, rounding=SALES_ROUNDING
        )
        nf = number_format(session)
    renewed_lines = [line for line in lines if line.reference == f"history:{renewal.id}"]
    assert _sales(line_words(renewed_lines, None, nf)) == _sales(preview.lines)


async def test_a_partner_center_answer_lost_after_the_change_is_not_applied_twice(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=3)
    control.post(
        "chaos",
        {"nextFailures": [{"route": PATCH, "fault": "timeout", "count": 1}], "hangSeconds": 0.2},
    )

    async with fast_client(sandbox) as pc:
        outcome = await subscriptions.change_quantity(
            actor=shop.broker.principal, subscription_id=subscription_id, quantity=4, pc=pc
        )

    assert outcome.kind == "done"
    assert _microsoft(sandbox, shop)["quantity"] == 4
    assert len(_recon_amounts(sandbox, shop, "addQuantity")) == 2  # one refund + one charge
    assert len(_history(subscription_id, "quantity")) == 1
    assert _lots(subscription_id) == [(3, "purchase"), (1, "addition")]


async def test_a_change_during_microsofts_renewal_processing_says_to_try_later(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control)
    control.post("chaos", {"nextFailures": [{"route": PATCH, "fault": "reject", "code": 800082}]})

    async with fast_client(sandbox) as pc:
        with pytest.raises(PartnerCenterBusy) as busy:
            await subscriptions.change_quantity(
                actor=shop.broker.principal, subscription_id=subscription_id, quantity=4, pc=pc
            )

    assert "processing this subscription's renewal" in str(busy.value)
    assert _row(subscription_id).quantity == 3 and _microsoft(sandbox, shop)["quantity"] == 3


async def test_a_customers_change_waits_for_the_broker_who_sees_the_preview_and_approves(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=3, approvals=True)
    customer = shop.customer.principal

    async with fast_client(sandbox) as pc:
        asked = await subscriptions.change_quantity(
            actor=customer, subscription_id=subscription_id, quantity="5", pc=pc
        )
        assert asked.kind == "approval" and _microsoft(sandbox, shop)["quantity"] == 3
        with session_scope() as session:
            request = session.exec(
                select(ApprovalRequest)
                .where(ApprovalRequest.organization_id == shop.organization_id)
                .where(ApprovalRequest.status == ApprovalStatus.PENDING)
            ).one()
        assert request.payload["summary"] == "Sales team: 3 seats → 5 seats"

        preview = subscriptions.preview_request(
            actor=shop.broker.principal, request_id=request.id or 0
        )
        assert isinstance(preview, subscriptions.BrokerChangePreview) and preview.allowed
        approved = await subscriptions.approve_request(
            actor=shop.broker.principal, request_id=request.id or 0, comment="ok", pc=pc
        )

    assert approved.kind == "done" and _microsoft(sandbox, shop)["quantity"] == 5
    [change] = _history(subscription_id, "quantity")
    assert change.actor_account_id == customer.account_id
    with session_scope() as session:
        decided = session.get(ApprovalRequest, request.id)
        assert decided is not None and decided.status == ApprovalStatus.APPROVED


def test_quantities_that_are_not_whole_seats_are_refused_in_words() -> None:
    for text in ("", "0", "-1", "2.5", "abc", "٣"):
        with pytest.raises(InvalidInput) as refused:
            subscriptions.preview_quantity(
                actor=new_broker().principal, subscription_id=1, quantity=text
            )
        assert refused.value.field_errors == {
            "quantity": "Enter a whole number of seats, at least 1."
        }


async def test_each_preview_is_what_the_recorded_history_rates_later(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    """The billing report rates the recorded history with the preview's engine and prices."""
    shop, subscription_id = await _bought(sandbox, control, quantity=4)
    broker = shop.broker.principal
    shown: list[list[tuple[str, int, str, str]]] = []
    async with fast_client(sandbox) as pc:
        for quantity in (6, 5):
            _advance(control, days=1)
            preview = subscriptions.preview_quantity(
                actor=broker, subscription_id=subscription_id, quantity=quantity
            )
            shown.append(_sales(preview.lines))
            await subscriptions.change_quantity(
                actor=broker, subscription_id=subscription_id, quantity=quantity, pc=pc
            )
        _advance(control, days=1)
        shown.append(
            _sales(
                subscriptions.preview_cancel(actor=broker, subscription_id=subscription_id).lines
            )
        )
        await subscriptions.cancel_subscription(
            actor=broker, subscription_id=subscription_id, pc=pc
        )

    with session_scope() as session:
        events = rating_events(session, subscription_id)
        subject = load_subject(session, broker, subscription_id, changing=False)
        price_on = sales_price_on(session, subject)
        lines = rate_history(
            events, until=clock.today(), price_on=price_on, rounding=SALES_ROUNDING
        )
        nf = number_format(session)
    changes = _history(subscription_id, "quantity") + _history(subscription_id, "cancel")
    billed = [
        _sales(
            line_words(
                [line for line in lines if line.reference == f"history:{change.id}"], None, nf
            )
        )
        for change in changes
    ]
    assert billed == shown and len(shown[0]) == 2 and len(shown[2]) == 1


def _sales(lines: list[subscriptions.ChargeLine]) -> list[tuple[str, int, str, str]]:
    return [(line.period, line.quantity, line.unit_price, line.amount) for line in lines]


async def test_partner_center_throttling_that_does_not_end_leaves_everything_as_it_was(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control)
    control.chaos(routes={PATCH: {"throttle429": 1.0}}, seed=1)

    async with fast_client(sandbox) as pc:
        with pytest.raises(PartnerCenterUnavailable) as throttled:
            await subscriptions.change_quantity(
                actor=shop.broker.principal, subscription_id=subscription_id, quantity=4, pc=pc
            )

    assert "answering too many requests right now; nothing changed" in str(throttled.value)
    assert _row(subscription_id).quantity == 3 and _history(subscription_id, "quantity") == []
    assert _microsoft(sandbox, shop)["quantity"] == 3


def _mail_to(address: str) -> list[str]:
    with session_scope() as session:
        query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def _pending(shop: Shop) -> ApprovalRequest:
    with session_scope() as session:
        return session.exec(
            select(ApprovalRequest)
            .where(ApprovalRequest.organization_id == shop.organization_id)
            .where(ApprovalRequest.status == ApprovalStatus.PENDING)
        ).one()


async def test_a_customers_renewal_change_and_cancellation_wait_for_approval_too(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=3, approvals=True)
    customer, broker = shop.customer.principal, shop.broker.principal
    wanted = subscriptions.RenewalInput(auto_renew=True, quantity=2)
    async with fast_client(sandbox) as pc:
        asked = await subscriptions.set_renewal(
            actor=customer, subscription_id=subscription_id, wanted=wanted, pc=pc
        )
        assert asked.kind == "approval" and _pending(shop).payload["summary"] == (
            "Sales team: renew (2 seats)"
        )
        await subscriptions.approve_request(actor=broker, request_id=_pending_id(shop), pc=pc)
        assert _microsoft(sandbox, shop)["scheduledNextTermInstructions"]["quantity"] == 2

        await subscriptions.cancel_subscription(
            actor=customer, subscription_id=subscription_id, pc=pc
        )
        assert _pending(shop).payload["summary"] == "Cancel Sales team (3 seats)"
        assert _microsoft(sandbox, shop)["status"] == "active"
        await subscriptions.approve_request(actor=broker, request_id=_pending_id(shop), pc=pc)

    assert _microsoft(sandbox, shop)["status"] == "deleted"
    assert _mail_to(shop.customer.email) == ["Your change was approved"] * 2
    assert "Approval needed: subscription change" in _mail_to(shop.broker.email)


def _pending_id(shop: Shop) -> int:
    return _pending(shop).id or 0


async def test_a_german_broker_reads_the_preview_with_decimal_commas(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id = await _bought(sandbox, control, quantity=200)
    saved = broker_settings_service.get_broker_settings(actor=shop.broker.principal).as_form()
    broker_settings_service.update_broker_settings(
        actor=shop.broker.principal, form=saved | {"number_locale": "de_DE"}
    )
    try:
        preview = subscriptions.preview_quantity(
            actor=shop.customer.principal, subscription_id=subscription_id, quantity=201
        )
    finally:
        broker_settings_service.update_broker_settings(actor=shop.broker.principal, form=saved)

    assert preview.per_cycle_after == "1.507,50 USD per month for 201 seats"
    assert preview.lines[1].amount.endswith(" USD") and "," in preview.lines[1].amount


async def _approved_and_left(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, ask: Any
) -> tuple[Shop, int, int]:
    """The customer asked for a change (`ask`, of the subscription), the broker approved it and
    the worker died before making it: the shop, the subscription's and the request's ids."""
    shop, subscription_id = await _bought(sandbox, control, quantity=3, approvals=True)
    await ask(actor=shop.customer.principal, subscription_id=subscription_id)
    request_id = _pending_id(shop)
    with session_scope() as session:
        approvals.decide(
            session, shop.broker.principal, request_id, ApprovalStatus.CARRYING_OUT, "ok"
        )
    return shop, subscription_id, request_id


def _status(request_id: int) -> ApprovalStatus:
    with session_scope() as session:
        row = session.get(ApprovalRequest, request_id)
        assert row is not None
        return row.status


def _abandoned(control: PartnerCenterFake) -> None:
    _advance(control, seconds=int(STALE_AFTER.total_seconds()) + 1)


ADD_SEATS = partial(subscriptions.change_quantity, quantity=5)


async def test_an_approved_change_a_dead_worker_left_is_made_by_the_job_once(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id, request_id = await _approved_and_left(sandbox, control, ADD_SEATS)

    async with fast_client(sandbox) as pc:
        assert await subscriptions.finish_approved_changes(pc=pc) == []  # not abandoned yet
        _abandoned(control)
        assert await subscriptions.finish_approved_changes(pc=pc) == [request_id]
        assert await subscriptions.finish_approved_changes(pc=pc) == []

    assert _microsoft(sandbox, shop)["quantity"] == 5 and _row(subscription_id).quantity == 5
    assert len(_history(subscription_id, "quantity")) == 1
    assert _status(request_id) == ApprovalStatus.APPROVED
    assert _mail_to(shop.customer.email) == ["Your change was approved"]


async def test_an_approved_change_made_before_the_worker_died_is_not_made_again(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id, request_id = await _approved_and_left(
        sandbox, control, subscriptions.cancel_subscription
    )
    pc_id = _row(subscription_id).pc_subscription_id or ""
    async with fast_client(sandbox) as pc:
        await pc.subscriptions.cancel(shop.customer_id, pc_id)  # done, its answer never stored
        _abandoned(control)
        assert await subscriptions.finish_approved_changes(pc=pc) == [request_id]

    assert _row(subscription_id).status == "deleted"
    assert len(_history(subscription_id, "cancel")) == 1
    assert _mail_to(shop.customer.email) == ["Your change was approved"]


async def test_an_approved_change_already_synced_is_only_told(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, subscription_id, request_id = await _approved_and_left(sandbox, control, ADD_SEATS)
    pc_id = _row(subscription_id).pc_subscription_id or ""
    async with fast_client(sandbox) as pc:
        await pc.subscriptions.set_quantity(shop.customer_id, pc_id, 5)
        await sync.run_sync("tenant", customer_id=shop.customer_id, pc=pc)
        _abandoned(control)
        assert await subscriptions.finish_approved_changes(pc=pc) == [request_id]

    assert _row(subscription_id).quantity == 5 and _history(subscription_id, "quantity") == []
    assert _mail_to(shop.customer.email) == ["Your change was approved"]


async def test_an_approved_renewal_change_recorded_before_the_worker_died_is_only_told(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    wanted = subscriptions.RenewalInput(auto_renew=True, quantity=2)
    shop, subscription_id, request_id = await _approved_and_left(
        sandbox, control, partial(subscriptions.set_renewal, wanted=wanted)
    )
    async with fast_client(sandbox) as pc:  # made and recorded; the worker died before telling
        await subscriptions.set_renewal(
            actor=shop.customer.principal, subscription_id=subscription_id, wanted=wanted, pc=pc,
            approved=True,
        )  # fmt: skip
        _abandoned(control)
        assert await subscriptions.finish_approved_changes(pc=pc) == [request_id]

    assert _microsoft(sandbox, shop)["scheduledNextTermInstructions"]["quantity"] == 2
    assert len(_history(subscription_id, "renewal_settings")) == 1
    assert _mail_to(shop.customer.email) == ["Your change was approved"]


async def test_an_approved_change_refused_in_the_job_waits_for_the_broker_again(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, _, request_id = await _approved_and_left(
        sandbox, control, subscriptions.cancel_subscription
    )
    _advance(control, days=8)  # the cancellation window closed meanwhile

    async with fast_client(sandbox) as pc:
        assert await subscriptions.finish_approved_changes(pc=pc) == []

    assert _status(request_id) == ApprovalStatus.PENDING
    assert _microsoft(sandbox, shop)["status"] == "active"
    assert _mail_to(shop.customer.email) == []
    assert "An approved change could not be made" in _mail_to(shop.broker.email)
