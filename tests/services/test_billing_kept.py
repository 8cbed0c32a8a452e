"""Kept ratings (services/billing/_kept.py): the page's sums never read a stale rating.

A change to any rated input, made through the services or as plain SQL (as sync, a command or
a person at the database would), shows in the next report; the triggers raise the right stamp
for each input and leave it alone for columns the rating does not read; a rating kept by other
code or rated through an earlier day is rated again. Run on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.tables.billing import BILLING_INPUTS_ID, BillingInputs, BillingRating
from o365portal.db.tables.subscriptions import Subscription
from o365portal.services import billing, subscriptions
from o365portal.services.billing import _kept
from o365portal.services.subscriptions import PriceForm
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.billing_support import (
    NO_TEAMS_P1Y_MONTHLY,
    at,
    buy,
    clocks_put_back,
    set_clocks,
    whole_report,
)
from tests.services.ordering_support import Shop, fast_client, open_shop, set_price

pytestmark = pytest.mark.usefixtures("portal_env")


@pytest.fixture(autouse=True)
def clocks_back(portal_env: None, control: PartnerCenterFake) -> Iterator[None]:
    """The tests move both clocks; both go back afterwards."""
    with clocks_put_back(control):
        yield


async def _bought(sandbox: PartnerCenterFake, control: PartnerCenterFake) -> tuple[Shop, int]:
    """A shop selling Basic (no Teams), a year billed monthly, at 9.00 a month that bought 4
    seats on 2026-01-10."""
    set_clocks(sandbox, at("2026-01-10"))
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    set_price(shop, NO_TEAMS_P1Y_MONTHLY, "9.00", date(2020, 1, 1))
    bought = await buy(sandbox, control, shop, NO_TEAMS_P1Y_MONTHLY, 4, friendly_name="Kept")
    return shop, bought


def _totals(shop: Shop) -> list[Decimal]:
    reports = whole_report(
        actor=shop.broker.principal,
        first_month="2026-01",
        last_month="2026-03",
        organization_id=shop.organization_id,
    )
    return [report.total for report in reports]


async def test_every_change_of_a_rated_input_shows_in_the_next_report(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, bought = await _bought(sandbox, control)
    set_clocks(control, at("2026-02-20"))
    assert _totals(shop) == [Decimal("36.00"), Decimal("36.00"), Decimal(0)]

    set_price(shop, NO_TEAMS_P1Y_MONTHLY, "8.00", date(2026, 2, 1))  # the customer's list
    assert _totals(shop) == [Decimal("36.00"), Decimal("36.00"), Decimal(0)]  # term's price
    subscriptions.set_sales_price(
        actor=shop.broker.principal,
        subscription_id=bought,
        form=PriceForm(effective_from="2026-02-10", price="7.00", reason="loyalty"),
    )
    assert _totals(shop) == [Decimal("36.00"), Decimal("28.00"), Decimal(0)]

    async with fast_client(sandbox) as pc:
        await subscriptions.change_quantity(
            actor=shop.broker.principal, subscription_id=bought, quantity=6, pc=pc
        )
    second = _totals(shop)[1]
    assert second > Decimal("28.00")  # the added seats' pro-rata

    for step in ("+ 1", "- 1"):  # as plain SQL, like a person at the database; then undone
        with session_scope() as session:
            session.execute(
                text(f"UPDATE microsoft_cost SET unit_cost = unit_cost {step} WHERE sku_id = :k"),
                {"k": NO_TEAMS_P1Y_MONTHLY.sku_id},  # 000P: no other test's item
            )
        _totals(shop)  # whole_report compares the cost side too
    with session_scope() as session:
        session.execute(
            text("DELETE FROM subscription_price WHERE subscription_id = :s"), {"s": bought}
        )
    assert _totals(shop)[1] != second


def _stamps(session: Session, subscription_id: int) -> tuple[int, int]:
    row = session.get(Subscription, subscription_id)
    inputs = session.get(BillingInputs, BILLING_INPUTS_ID)
    assert row is not None and inputs is not None
    session.expire_all()
    return row.billing_stamp, inputs.stamp


# (statement, raises the subscription's stamp, raises the shared inputs' stamp)
WRITES = [
    ("UPDATE subscription SET friendly_name = 'Renamed' WHERE id = :s", False, False),
    ("UPDATE subscription SET po_number = 'PO-1', status = 'active' WHERE id = :s", False, False),
    ("UPDATE subscription SET quantity = quantity + 1 WHERE id = :s", True, False),
    ("UPDATE subscription SET started_at = started_at WHERE id = :s", True, False),
    (
        "INSERT INTO subscription_history (subscription_id, origin, at, action, after) "
        "VALUES (:s, 'portal', CURRENT_TIMESTAMP, 'note', NULL)",
        True,
        False,
    ),
    ("UPDATE subscription_history SET action = action WHERE subscription_id = :s", True, False),
    (
        "DELETE FROM subscription_history WHERE subscription_id = :s AND action = 'note'",
        True,
        False,
    ),
    ("UPDATE price_list_entry SET sales_price = sales_price WHERE id < 0", False, False),
    ("UPDATE price_list_entry SET sales_price = sales_price", False, True),
    ("UPDATE microsoft_cost SET unit_cost = unit_cost", False, True),
    ("UPDATE price_list SET name = name", False, True),
    ("UPDATE catalog_item SET title = title, refreshed_at = refreshed_at", False, False),
    ("UPDATE catalog_item SET term = term", False, True),
    ("UPDATE broker_settings SET approvals_required = approvals_required", False, False),
    ("UPDATE broker_settings SET currency = currency", False, True),
    ("UPDATE organization SET company_name = company_name", False, False),
    ("UPDATE organization SET price_list_id = price_list_id", False, True),
    ("UPDATE tenant SET organization_id = organization_id", False, True),
]


async def test_the_triggers_raise_the_stamp_of_what_changed_and_no_other(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    _, bought = await _bought(sandbox, control)
    for statement, own, shared in WRITES:
        with session_scope() as session:
            before = _stamps(session, bought)
        with session_scope() as session:
            session.execute(text(statement), {"s": bought})
        with session_scope() as session:
            after = _stamps(session, bought)
        moved = (after[0] > before[0], after[1] > before[1])
        assert moved == (own, shared), statement


async def test_a_rating_of_other_code_or_an_earlier_day_is_rated_again(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop, bought = await _bought(sandbox, control)
    set_clocks(control, at("2026-01-20"))
    _totals(shop)
    with session_scope() as session:
        assert _kept.keep_current(session, shop.organization_id, date(2026, 1, 20)) == 0
        rating = session.get(BillingRating, bought)
        assert rating is not None and rating.rated_through == date(2026, 1, 31)
        rating.engine_version = "older code"
    with session_scope() as session:
        assert _kept.keep_current(session, shop.organization_id, date(2026, 1, 20)) == 1
        assert _kept.keep_current(session, shop.organization_id, date(2026, 1, 31)) == 0
        assert _kept.keep_current(session, shop.organization_id, date(2026, 2, 10)) == 1
    set_clocks(control, at("2026-02-12"))
    assert _totals(shop) == [Decimal("36.00"), Decimal("36.00"), Decimal(0)]


def test_the_levels_check_months_and_organizations() -> None:
    from o365portal.services.errors import InvalidInput, NotFound
    from tests.builders import new_broker, new_customer, new_organization

    broker = new_broker().principal
    with pytest.raises(InvalidInput):
        billing.report_periods(actor=broker, first_month="2026-05", last_month="2026-04")
    with pytest.raises(InvalidInput):
        billing.period_page(actor=broker, month="May")
    ours, theirs = new_organization(broker), new_organization(broker)
    customer = new_customer(ours.id).principal
    with pytest.raises(NotFound):
        billing.report_periods(
            actor=customer, first_month="2026-01", last_month="2026-01", organization_id=theirs.id
        )
    with pytest.raises(NotFound):
        billing.subscription_lines(actor=customer, month="2026-01", subscription_id=10**9)
