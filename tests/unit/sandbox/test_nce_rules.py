"""Seat lots, 168-hour windows and PATCH checks of the NCE rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365portal.sandbox.commerce.nce_renewal import (
    TermPlan,
    next_term_plan,
    renewal_completes_at,
    renewal_in_progress,
)
from o365portal.sandbox.commerce.nce_rules import (
    NceRuleError,
    SeatLot,
    check_cancellation,
    check_status_change,
    check_suspended_change,
    check_updatable,
    full_refund_due,
    iso,
    open_lot,
    parse_iso,
    refundable_quantity,
    remove_seats,
)

T0 = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_each_seat_addition_has_its_own_168_hour_window() -> None:
    lots = [open_lot(10, T0), open_lot(2, T0 + timedelta(days=3))]
    later = T0 + timedelta(hours=169)
    assert refundable_quantity(lots, later) == {
        "totalQuantity": 2,
        "details": [{"quantity": 2, "allowedUntilDateTime": iso(T0 + timedelta(days=10))}],
    }


def test_removing_more_seats_than_are_still_refundable_fails_800090() -> None:
    lots = [open_lot(10, T0), open_lot(2, T0 + timedelta(days=3))]
    with pytest.raises(NceRuleError) as refused:
        remove_seats(lots, 3, T0 + timedelta(hours=169))
    assert (refused.value.status, refused.value.code) == (400, 800090)


def test_removed_seats_come_from_the_newest_open_lots() -> None:
    lots = [open_lot(10, T0), open_lot(2, T0 + timedelta(days=1))]
    left = remove_seats(lots, 4, T0 + timedelta(days=2))
    assert left == [SeatLot(8, T0 + timedelta(hours=168))]


def test_cancellation_is_allowed_until_168_hours_after_purchase() -> None:
    check_cancellation(T0, T0 + timedelta(hours=167, minutes=59))
    with pytest.raises(NceRuleError) as refused:
        check_cancellation(T0, T0 + timedelta(hours=168))
    assert refused.value.code == 900213


def test_a_full_refund_is_due_only_within_24_hours() -> None:
    assert full_refund_due(T0, T0 + timedelta(hours=23))
    assert not full_refund_due(T0, T0 + timedelta(hours=24))


@pytest.mark.parametrize(
    ("status", "renewing", "code"),
    [("deleted", False, 2011), ("expired", False, 900279), ("active", True, 800082)],
)
def test_updates_are_refused_when_deleted_ended_or_renewing(
    status: str, renewing: bool, code: int
) -> None:
    with pytest.raises(NceRuleError) as refused:
        check_updatable(status, renewing)
    assert refused.value.code == code


def test_a_renewal_in_progress_answers_409() -> None:
    with pytest.raises(NceRuleError) as refused:
        check_updatable("active", True)
    assert refused.value.status == 409


def test_a_suspended_subscription_refuses_quantity_then_settings_changes() -> None:
    with pytest.raises(NceRuleError, match="Quantity"):
        check_suspended_change(quantity_changed=True, settings_changed=True)
    with pytest.raises(NceRuleError) as refused:
        check_suspended_change(quantity_changed=False, settings_changed=True)
    assert refused.value.code == 800091


def test_only_nce_status_transitions_are_allowed() -> None:
    check_status_change("active", "suspended")
    check_status_change("suspended", "active")
    check_status_change("suspended", "deleted")
    with pytest.raises(NceRuleError):
        check_status_change("active", "expired")


def test_renewal_processing_runs_from_midnight_to_one_after_the_term_end() -> None:
    end = date(2027, 3, 9)
    assert not renewal_in_progress(end, datetime(2027, 3, 9, 23, 59, tzinfo=UTC))
    assert renewal_in_progress(end, datetime(2027, 3, 10, 0, 30, tzinfo=UTC))
    assert renewal_completes_at(end) == datetime(2027, 3, 10, 1, 0, tzinfo=UTC)


def test_scheduled_instructions_change_the_next_term_only_where_given() -> None:
    current = TermPlan("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "P1Y", "monthly", 10)
    instructions = {
        "product": {"productId": "CFQ7TTC0LH18", "skuId": "0001", "billingCycle": "Annual"},
        "quantity": 7,
    }
    planned = next_term_plan(current, instructions)
    assert (planned.billing_cycle, planned.quantity, planned.term_duration) == ("annual", 7, "P1Y")
    assert next_term_plan(current, None) == current


def test_wire_datetimes_round_trip_with_seven_fractional_digits() -> None:
    text = iso(T0)
    assert text == "2026-03-10T09:30:00.0000000Z"
    assert parse_iso(text) == T0


@given(
    st.lists(st.tuples(st.integers(1, 20), st.integers(0, 300)), min_size=1, max_size=6),
    st.integers(0, 400),
    st.integers(1, 60),
)
def test_removing_seats_keeps_every_closed_lot_and_the_total_balanced(
    additions: list[tuple[int, int]], hours_later: int, reduction: int
) -> None:
    lots = [open_lot(quantity, T0 + timedelta(hours=offset)) for quantity, offset in additions]
    now = T0 + timedelta(hours=hours_later)
    closed = [lot for lot in lots if lot.allowed_until <= now]
    try:
        left = remove_seats(lots, reduction, now)
    except NceRuleError:
        assert refundable_quantity(lots, now)["totalQuantity"] < reduction
        return
    assert sum(lot.quantity for lot in left) == sum(lot.quantity for lot in lots) - reduction
    assert [lot for lot in left if lot.allowed_until <= now] == closed
