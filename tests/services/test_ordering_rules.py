"""The add-subscription field rules (issue 9 items 6 and 7): whole seats within the item's range,
checked as the quantity is typed; a go-live date from today to one year ahead, checked as it is
picked and again when the order is placed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from o365portal.services import clock
from o365portal.services.errors import InvalidInput
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering import _rules as ordering_rules
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import (
    broker_settings,
    fast_client,
    open_shop,
    order_form,
)

pytestmark = pytest.mark.usefixtures("portal_env")

TOO_FAR = "orders can be scheduled at most one year ahead"


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (date(2026, 7, 12), date(2027, 7, 12)),
        (date(2028, 2, 29), date(2029, 2, 28)),
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_the_latest_go_live_date_is_one_year_ahead(today: date, latest: date) -> None:
    assert ordering_rules.latest_go_live_date(today) == latest


def test_a_go_live_date_is_accepted_from_today_to_one_year_ahead() -> None:
    today = date(2026, 7, 12)
    assert ordering_rules.go_live_error(None, today) is None
    assert ordering_rules.go_live_error(today, today) is None
    assert ordering_rules.go_live_error(date(2027, 7, 12), today) is None
    assert ordering_rules.go_live_error(today - timedelta(days=1), today) == (
        "Choose today or a later date."
    )
    too_far = ordering_rules.go_live_error(date(2027, 7, 13), today)
    assert too_far is not None
    assert too_far.startswith("Choose a date by 2027-07-12: ") and TOO_FAR in too_far


def test_a_picked_date_is_checked_at_once_against_the_business_clock() -> None:
    today = clock.today()
    ordering_rules.check_go_live_date(value="")
    ordering_rules.check_go_live_date(value=today.isoformat())
    with pytest.raises(InvalidInput) as too_far:
        later = ordering_rules.latest_go_live_date(today) + timedelta(days=1)
        ordering_rules.check_go_live_date(value=later.isoformat())
    assert TOO_FAR in too_far.value.field_errors["go_live_date"]
    with pytest.raises(InvalidInput) as garbled:
        ordering_rules.check_go_live_date(value="12/31/2030")
    assert garbled.value.field_errors == {"go_live_date": "Enter a date such as 2030-01-31."}


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("301", "At most 300 seats of this product can be ordered at once."),
        ("1.5", "Whole seats only: enter a number without decimals, such as 2."),
        ("0", "Enter at least 1 seat."),
    ],
)
async def test_the_live_price_refuses_a_quantity_at_the_field(
    sandbox: PartnerCenterFake, control: PartnerCenterFake, quantity: str, message: str
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc, price="7.50")
    item = order_form()["item"]
    with pytest.raises(InvalidInput) as refused:
        ordering.quote_order(
            actor=shop.customer.principal,
            organization_id=shop.organization_id,
            item=item,
            quantity=quantity,
        )
    assert refused.value.field_errors == {"quantity": message}
    most = ordering.quote_order(
        actor=shop.customer.principal,
        organization_id=shop.organization_id,
        item=item,
        quantity="300",
    )
    assert most.total == "2250.00"


async def test_an_order_may_be_scheduled_one_year_ahead_but_not_a_day_more(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    latest = ordering_rules.latest_go_live_date(clock.today())
    args = {"actor": shop.broker.principal, "organization_id": shop.organization_id}
    with pytest.raises(InvalidInput) as refused:
        await ordering.place_order(
            **args, form=order_form(go_live_date=(latest + timedelta(days=1)).isoformat())
        )
    assert TOO_FAR in refused.value.field_errors["go_live_date"]
    outcome = await ordering.place_order(**args, form=order_form(go_live_date=latest.isoformat()))
    assert (outcome.kind, outcome.message.endswith(f"goes live on {latest.isoformat()}.")) == (
        "scheduled",
        True,
    )


async def test_a_quantity_error_and_a_date_error_are_both_shown(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    broker_settings()
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    with pytest.raises(InvalidInput) as refused:
        await ordering.place_order(
            actor=shop.broker.principal,
            organization_id=shop.organization_id,
            form=order_form(quantity=301, go_live_date="2020-01-01"),
        )
    assert set(refused.value.field_errors) == {"quantity", "go_live_date"}
