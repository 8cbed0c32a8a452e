"""NCE commitments: seat-lot windows, reductions, cancellation, credits and renewal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from o365portal.domain.catalog import BillingCycle, Term
from o365portal.domain.errors import (
    CancellationWindowClosed,
    InvalidCatalogItem,
    SeatReductionNotAllowed,
)
from o365portal.domain.money import MICROSOFT_COST_ROUNDING, SALES_ROUNDING
from o365portal.domain.nce import (
    Commitment,
    LotReason,
    LotReduction,
    ScheduledChanges,
    SeatLot,
    cancellation_credit,
    check_cancellation,
    plan_reduction,
    reducible_now,
    reduction_credit,
    renew,
)
from o365portal.domain.terms import ChargeCycle
from tests.unit.domain.builders import day, eur, utc

FAST = settings(max_examples=150, deadline=None)
HOUR = timedelta(hours=1)
PURCHASE = SeatLot(10, utc(2025, 3, 1, 9), LotReason.PURCHASE)
ADDITION = SeatLot(3, utc(2025, 3, 5, 12), LotReason.ADDITION)
RENEWS = day("2026-03-01")


def test_each_lot_can_be_reduced_for_exactly_168_hours() -> None:
    assert PURCHASE.deadline == utc(2025, 3, 8, 9)
    assert PURCHASE.reducible_at(utc(2025, 3, 8, 8, 59))
    assert not PURCHASE.reducible_at(utc(2025, 3, 8, 9))


def test_a_lot_refuses_naive_times_and_empty_quantities() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SeatLot(1, datetime(2025, 3, 1), LotReason.PURCHASE)
    with pytest.raises(ValueError, match="at least one seat"):
        SeatLot(0, utc(2025, 3, 1), LotReason.PURCHASE)


def test_reducible_now_counts_only_open_lots_newest_first_and_says_until_when() -> None:
    both_open = reducible_now([PURCHASE, ADDITION], utc(2025, 3, 6))
    assert (both_open.quantity, both_open.lots) == (13, (ADDITION, PURCHASE))
    assert both_open.until == PURCHASE.deadline
    only_addition = reducible_now([PURCHASE, ADDITION], utc(2025, 3, 10))
    assert (only_addition.quantity, only_addition.until) == (3, ADDITION.deadline)
    none = reducible_now([PURCHASE, ADDITION], utc(2025, 3, 20))
    assert (none.quantity, none.lots, none.until) == (0, (), None)


def test_a_reduction_takes_seats_from_the_newest_open_lots_first() -> None:
    plan = plan_reduction([PURCHASE, ADDITION], 5, utc(2025, 3, 6), renews_on=RENEWS)
    assert plan.reductions == (LotReduction(ADDITION, 3), LotReduction(PURCHASE, 2))
    assert plan.quantity == 5
    assert [(lot.quantity, lot.reason) for lot in plan.remaining] == [(8, LotReason.PURCHASE)]


def test_a_partial_reduction_leaves_untouched_lots_as_they_were() -> None:
    plan = plan_reduction([PURCHASE, ADDITION], 1, utc(2025, 3, 6), renews_on=RENEWS)
    assert plan.remaining == (SeatLot(2, ADDITION.added_at, LotReason.ADDITION), PURCHASE)


def test_a_reduction_after_the_lots_deadline_is_refused_naming_the_renewal() -> None:
    with pytest.raises(SeatReductionNotAllowed, match="only 3 seat") as refused:
        plan_reduction([PURCHASE, ADDITION], 4, utc(2025, 3, 10), renews_on=RENEWS)
    assert refused.value.next_chance == RENEWS
    assert "renewal on 2026-03-01" in str(refused.value)


@pytest.mark.parametrize("quantity", [0, 13])
def test_a_reduction_must_leave_at_least_one_seat(quantity: int) -> None:
    with pytest.raises(ValueError, match="cancel to remove all 13"):
        plan_reduction([PURCHASE, ADDITION], quantity, utc(2025, 3, 6), renews_on=RENEWS)


def test_cancellation_is_allowed_within_168_hours_of_purchase_and_additions_do_not_reopen_it() -> (
    None
):
    assert check_cancellation([PURCHASE, ADDITION], utc(2025, 3, 8, 8)) == PURCHASE.deadline
    with pytest.raises(CancellationWindowClosed, match="168-hour") as closed:
        check_cancellation([PURCHASE, ADDITION], utc(2025, 3, 9))
    assert closed.value.closed_at == PURCHASE.deadline


def test_a_renewal_reopens_the_cancellation_window() -> None:
    renewal = SeatLot(10, utc(2026, 3, 1), LotReason.RENEWAL)
    assert check_cancellation([PURCHASE, renewal], utc(2026, 3, 2)) == renewal.deadline


def test_cancellation_needs_a_purchase_or_renewal_lot() -> None:
    with pytest.raises(ValueError, match="purchase or renewal"):
        check_cancellation([ADDITION], utc(2025, 3, 6))


JUNE_CYCLE = ChargeCycle(day("2021-06-18"), day("2021-07-17"), 30)


def test_the_credit_of_a_reduction_equals_the_net_of_its_billing_lines() -> None:
    credit = reduction_credit(
        12,
        8,
        cycle=JUNE_CYCLE,
        cycle_price=eur("10.08"),
        on=day("2021-06-20"),
        rounding=MICROSOFT_COST_ROUNDING,
    )
    assert credit == eur("-37.63")  # 75.26 − 112.89, Microsoft §10.4


def test_the_credit_of_a_cancellation_is_the_refund_of_the_unused_days() -> None:
    july = ChargeCycle(day("2021-07-15"), day("2021-08-14"), 31)
    credit = cancellation_credit(
        10, cycle=july, cycle_price=eur("10.08"), on=day("2021-07-17"), rounding=SALES_ROUNDING
    )
    assert credit == eur("-94.20")  # Microsoft's published −94.2


def test_renewal_applies_scheduled_changes_and_starts_one_fresh_lot() -> None:
    current = Commitment(10, Term.P1Y, BillingCycle.MONTHLY)
    renewed = renew(
        current,
        ScheduledChanges(quantity=6, billing_cycle=BillingCycle.ANNUAL),
        utc(2026, 3, 1, 0, 5),
    )
    assert renewed.commitment == Commitment(6, Term.P1Y, BillingCycle.ANNUAL)
    assert renewed.lots == (SeatLot(6, utc(2026, 3, 1, 0, 5), LotReason.RENEWAL),)
    assert renewed.term_end == day("2027-02-28")


def test_renewal_without_scheduled_changes_keeps_the_commitment() -> None:
    current = Commitment(10, Term.P1M, BillingCycle.MONTHLY)
    renewed = renew(current, ScheduledChanges(), utc(2026, 3, 1))
    assert renewed.commitment == current
    assert renewed.term_end == day("2026-03-31")


def test_renewal_refuses_a_billing_cycle_longer_than_the_new_term() -> None:
    current = Commitment(10, Term.P1Y, BillingCycle.ANNUAL)
    with pytest.raises(InvalidCatalogItem, match="P1M term cannot be billed annual"):
        renew(current, ScheduledChanges(term=Term.P1M), utc(2026, 3, 1))


lots_strategy = st.lists(
    st.builds(
        SeatLot,
        quantity=st.integers(min_value=1, max_value=50),
        added_at=st.integers(min_value=0, max_value=24 * 30).map(
            lambda h: utc(2025, 1, 1) + h * HOUR
        ),
        reason=st.sampled_from(LotReason),
    ),
    min_size=1,
    max_size=6,
)


@FAST
@given(
    lots=lots_strategy,
    now_hours=st.integers(min_value=0, max_value=24 * 40),
    wanted=st.integers(1, 300),
)
def test_a_reduction_never_exceeds_the_reducible_seats(
    lots: list[SeatLot], now_hours: int, wanted: int
) -> None:
    now = utc(2025, 1, 1) + now_hours * HOUR
    held = sum(lot.quantity for lot in lots)
    assume(wanted < held)
    reducible = reducible_now(lots, now)
    try:
        plan = plan_reduction(lots, wanted, now, renews_on=RENEWS)
    except SeatReductionNotAllowed:
        assert wanted > reducible.quantity
        return
    assert plan.quantity == wanted <= reducible.quantity
    assert all(reduction.lot.reducible_at(now) for reduction in plan.reductions)
    assert sum(lot.quantity for lot in plan.remaining) == held - wanted


@FAST
@given(lots=lots_strategy, extra_hours=st.integers(min_value=0, max_value=1000))
def test_a_reduction_after_every_deadline_is_refused(lots: list[SeatLot], extra_hours: int) -> None:
    now = max(lot.deadline for lot in lots) + extra_hours * HOUR
    assert reducible_now(lots, now).quantity == 0
    assume(sum(lot.quantity for lot in lots) > 1)
    with pytest.raises(SeatReductionNotAllowed):
        plan_reduction(lots, 1, now, renews_on=RENEWS)
