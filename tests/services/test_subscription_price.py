"""Edit historic sales price (issue 12): the broker sets a subscription's own price from a day,
the past included; it wins over the price lists from that day, `quote()` and the list follow,
the history keeps who, why and before -> after, and what is typed is read in the broker's
number format. Customers may neither read nor set it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.services import changes, clock, subscriptions
from o365portal.services.accounts import _settings as settings
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound
from o365portal.services.pricing import _quote as pricing
from o365portal.services.subscriptions import PriceForm
from tests.builders import unique
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.ordering_support import BASIC_MONTHLY, Shop, fast_client, open_shop
from tests.services.test_changes_announced import Announcements

TODAY = clock.today


@pytest.fixture
async def shop(portal_env: None, control: PartnerCenterFake) -> Shop:
    """An organization whose customer list sells Business Basic at 7.50 USD a seat a month."""
    async with fast_client(control) as pc:
        return await open_shop(pc, price="7.50")


@pytest.fixture
def german(shop: Shop) -> Iterator[None]:
    """The broker's number format is de_DE for one test (the settings row is shared)."""
    saved = settings.get_broker_settings(actor=shop.broker.principal).as_form()
    settings.update_broker_settings(
        actor=shop.broker.principal, form=saved | {"number_locale": "de_DE"}
    )
    yield
    settings.update_broker_settings(actor=shop.broker.principal, form=saved)


@pytest.fixture
async def announced() -> AsyncIterator[Announcements]:
    """A listener subscribed to the change feed for this test."""
    listener = Announcements()
    yield listener
    await listener.stop()


def bought(shop: Shop, days_ago: int = 60) -> int:
    """A Business Basic subscription of the shop's tenant that started `days_ago` days ago."""
    started = clock.now() - timedelta(days=days_ago)
    with session_scope() as session:
        tenant = session.exec(
            select(Tenant).where(Tenant.organization_id == shop.organization_id)
        ).one()
        row = Subscription(
            **vars(BASIC_MONTHLY), tenant_id=tenant.id or 0, pc_subscription_id=unique("s-"),
            friendly_name="Sales team", quantity=5, status="active", started_at=started,
            term_end_at=started + timedelta(days=364),
        )  # fmt: skip
        session.add(row)
        session.flush()
        session.add(
            SubscriptionHistory(
                subscription_id=row.id or 0, origin=ChangeOrigin.PORTAL, at=started,
                action="order", unit_price=Decimal("7.50"), currency="USD",
            )
        )  # fmt: skip
        return row.id or 0


def set_price(
    shop: Shop, subscription_id: int, price: str, day: date | str, **more: str
) -> subscriptions.SavedSalesPrice:
    """The broker sets the price from `day`, with a reason."""
    form = PriceForm(effective_from=day, price=price, reason=more.pop("reason", "Agreed"), **more)
    return subscriptions.set_sales_price(
        actor=shop.broker.principal, subscription_id=subscription_id, form=form
    )


def quoted(shop: Shop, subscription_id: int, on: date) -> tuple[Decimal, str]:
    """(unit price, source) of the subscription's item on `on`, as ordering screens quote it."""
    quote = pricing.quote(
        actor=shop.broker.principal, organization_id=shop.organization_id, item=BASIC_MONTHLY,
        quantity=5, on=on, subscription_id=subscription_id,
    )  # fmt: skip
    return quote.unit_price, quote.source


def price_changes(subscription_id: int) -> list[SubscriptionHistory]:
    with session_scope() as session:
        return list(
            session.exec(
                select(SubscriptionHistory)
                .where(SubscriptionHistory.subscription_id == subscription_id)
                .where(SubscriptionHistory.action == "price")
                .order_by(col(SubscriptionHistory.id))
            ).all()
        )


async def test_a_past_dated_price_wins_over_the_lists_from_its_day_and_quotes_follow(
    shop: Shop, announced: Announcements
) -> None:
    subscription_id = bought(shop, days_ago=60)
    since = TODAY() - timedelta(days=30)

    saved = set_price(shop, subscription_id, "6.00", since, reason="Loyalty discount")

    assert saved.message == (f"Sales team costs 6.00 USD from {since.isoformat()} (was 7.50 USD).")
    assert quoted(shop, subscription_id, TODAY()) == (Decimal("6.00"), "subscription")
    assert quoted(shop, subscription_id, since) == (Decimal("6.00"), "subscription")
    assert quoted(shop, subscription_id, since - timedelta(days=1)) == (Decimal("7.50"), "customer")
    listed = subscriptions.list_subscriptions(
        actor=shop.customer.principal, organization_id=shop.organization_id
    )
    assert [row.price for row in listed.subscriptions] == ["6.00 USD"]  # the table follows
    [change] = price_changes(subscription_id)
    assert change.actor_account_id == shop.broker.principal.account_id
    assert change.before == {"price": "7.50", "currency": "USD", "effective_from": "2020-01-01"}
    assert change.after is not None and change.after["effective_from"] == since.isoformat()
    assert (change.after["price"], change.after["reason"]) == ("6.00", "Loyalty discount")
    assert (change.unit_price, change.currency) == (Decimal("6.00"), "USD")
    assert await announced.of(shop.organization_id) == [(changes.SUBSCRIPTIONS,)]


def test_the_dialog_lists_the_periods_with_who_and_why_and_what_the_lists_would_charge(
    shop: Shop,
) -> None:
    subscription_id = bought(shop, days_ago=60)
    set_price(shop, subscription_id, "6.00", TODAY() - timedelta(days=40), reason="Migration")
    set_price(shop, subscription_id, "6.50", TODAY() - timedelta(days=10), reason="Price rise")
    set_price(shop, subscription_id, "7.00", TODAY() + timedelta(days=20), reason="Next year")

    view = subscriptions.sales_price(actor=shop.broker.principal, subscription_id=subscription_id)

    assert (view.price, view.currency, view.per) == ("6.50 USD", "USD", "per seat per month")
    assert view.source == (
        f"This subscription's own price since {(TODAY() - timedelta(days=10)).isoformat()}"
    )
    assert view.list_price == "7.50 USD"
    assert view.list_source.startswith("The customer's price list (Customer list ")
    assert [(p.price, p.reason, p.in_force) for p in view.periods] == [
        ("7.00 USD", "Next year", False),
        ("6.50 USD", "Price rise", True),
        ("6.00 USD", "Migration", False),
    ]
    assert {p.set_by for p in view.periods} == {shop.broker.principal.name}
    assert view.earliest_day == (TODAY() - timedelta(days=60)).isoformat()
    assert quoted(shop, subscription_id, TODAY() + timedelta(days=20))[0] == Decimal("7.00")
    listed = subscriptions.list_subscriptions(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    assert [row.price for row in listed.subscriptions] == ["6.50 USD"]  # not the later one yet
    assert [c.unit_price for c in price_changes(subscription_id)][-1] is None


def test_without_own_prices_the_dialog_shows_the_list_price_as_in_force(shop: Shop) -> None:
    subscription_id = bought(shop)

    view = subscriptions.sales_price(actor=shop.broker.principal, subscription_id=subscription_id)

    assert (view.price, view.periods) == ("7.50 USD", [])
    assert view.source == view.list_source


@pytest.mark.usefixtures("german")
def test_a_price_is_typed_with_the_brokers_decimal_comma(shop: Shop) -> None:
    subscription_id = bought(shop)

    saved = set_price(shop, subscription_id, "6,25", TODAY(), reason="Rabatt")

    assert saved.amount == Decimal("6.25")
    assert saved.message.startswith("Sales team costs 6,25 USD from ")
    assert saved.message.endswith("(was 7,50 USD).")
    view = subscriptions.sales_price(actor=shop.broker.principal, subscription_id=subscription_id)
    assert (view.price, view.example) == ("6,25 USD", "1.234,56")
    with pytest.raises(InvalidInput) as refused:
        set_price(shop, subscription_id, "6.25", TODAY())
    assert "write 6,25" in refused.value.field_errors["price"]


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("-1.00", "cannot be below zero"),
        ("\u22121.00", "cannot be below zero"),
        ("ten", "is not an amount here"),
        ("", "Enter the price per seat."),
        ("6.00 EUR", "priced in USD, not EUR"),
        ("6.12345", "at most 4 decimals"),
    ],
)
def test_a_bad_price_is_refused_at_the_price(shop: Shop, price: str, message: str) -> None:
    subscription_id = bought(shop)

    with pytest.raises(InvalidInput) as refused:
        set_price(shop, subscription_id, price, TODAY())

    assert message in refused.value.field_errors["price"]
    assert price_changes(subscription_id) == []


def test_the_currency_may_be_typed_when_it_is_the_subscriptions_and_zero_is_free(
    shop: Shop,
) -> None:
    subscription_id = bought(shop)
    assert set_price(shop, subscription_id, "USD 6.00", TODAY()).amount == Decimal("6.00")
    with pytest.raises(InvalidInput) as refused:
        set_price(shop, subscription_id, "6.00", TODAY(), currency="EUR")
    assert refused.value.field_errors["price"].startswith("This subscription is priced in USD")

    assert set_price(shop, subscription_id, "0", TODAY()).amount == 0
    assert quoted(shop, subscription_id, TODAY()) == (Decimal("0"), "subscription")


def test_a_day_before_the_start_a_bad_day_and_no_reason_are_refused_together(
    shop: Shop,
) -> None:
    subscription_id = bought(shop, days_ago=60)
    started = TODAY() - timedelta(days=60)

    with pytest.raises(InvalidInput) as refused:
        set_price(shop, subscription_id, "-2", started - timedelta(days=1), reason="  ")
    assert refused.value.field_errors == {
        "effective_from": (
            f"Choose {started.isoformat()} or later: the subscription started on "
            f"{started.isoformat()}, so it had no price before."
        ),
        "price": "A price cannot be below zero (0 means free of charge).",
        "reason": "Say why the price changes: it is kept with the price for the audit.",
    }
    with pytest.raises(InvalidInput) as garbled:
        set_price(shop, subscription_id, "5", "30.11.2026")
    assert garbled.value.field_errors == {
        "effective_from": "Enter the day as YYYY-MM-DD, such as 2026-03-01."
    }
    assert set_price(shop, subscription_id, "5", started).effective_from == started  # its first day


def test_a_second_price_for_the_same_day_corrects_it_and_both_changes_stay_in_history(
    shop: Shop,
) -> None:
    subscription_id = bought(shop)
    set_price(shop, subscription_id, "6.00", TODAY(), reason="First try")

    saved = set_price(shop, subscription_id, "5.50", TODAY(), reason="Typo")

    assert saved.message.endswith("(was 6.00 USD).")
    view = subscriptions.sales_price(actor=shop.broker.principal, subscription_id=subscription_id)
    assert [(p.price, p.reason) for p in view.periods] == [("5.50 USD", "Typo")]
    assert [c.unit_price for c in price_changes(subscription_id)] == [
        Decimal("6.00"),
        Decimal("5.50"),
    ]


def test_customers_may_neither_read_nor_set_a_subscriptions_sales_price(shop: Shop) -> None:
    subscription_id = bought(shop)
    form = PriceForm(effective_from=TODAY(), price="1.00", reason="Please")

    with pytest.raises(NotAllowed):
        subscriptions.set_sales_price(
            actor=shop.customer.principal, subscription_id=subscription_id, form=form
        )
    with pytest.raises(NotAllowed):
        subscriptions.sales_price(actor=shop.customer.principal, subscription_id=subscription_id)
    with pytest.raises(NotFound):
        subscriptions.sales_price(actor=shop.broker.principal, subscription_id=10**9)
    assert price_changes(subscription_id) == []
    assert quoted(shop, subscription_id, TODAY()) == (Decimal("7.50"), "customer")
