"""Manage add-ons (issue 12): a subscription offers the add-ons its SKU allows in its term and
billing cycle, priced for its organization (cost and margin for brokers only); adding one is an
order in the same tenant, so approvals, provisioning and history work as for any order; Partner
Center's 400041 (no active base in the tenant) is said in words and nothing is bought."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from decimal import Decimal

import pytest
from sqlmodel import col, select

from o365portal.db.engine import session_scope
from o365portal.db.tables.catalog import CatalogItem
from o365portal.db.tables.subscriptions import Subscription, SubscriptionHistory
from o365portal.domain.money import SALES_ROUNDING
from o365portal.domain.rating import rate_history
from o365portal.partner_center import PartnerCenterClient
from o365portal.services import clock, subscriptions
from o365portal.services.errors import InvalidInput, NotFound, PartnerCenterRefused
from o365portal.services.ordering import _approvals as approvals
from o365portal.services.ordering import _approve as approving
from o365portal.services.ordering import _place as ordering
from o365portal.services.ordering._provisioning import complete_provisioning
from o365portal.services.subscriptions._events import rating_events
from o365portal.services.subscriptions._preview import sales_price_on
from o365portal.services.subscriptions._subject import load_subject
from tests.builders import new_customer, new_organization
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.addon_support import (
    FOREIGN_ADDON,
    TEAMS_PREMIUM,
    TEAMS_PREMIUM_ANNUAL,
    TEAMS_PREMIUM_MONTH,
    base_subscription,
    cost_today,
    price_addons,
)
from tests.services.ordering_support import (
    Shop,
    broker_settings,
    fast_client,
    open_shop,
    order_form,
    sandbox_subscriptions,
)

pytestmark = pytest.mark.usefixtures("portal_env")


@pytest.fixture
def approvals_as_set() -> Iterator[None]:
    """Approvals off unless a test turns them on; off again afterwards (the row is shared)."""
    broker_settings()
    yield
    broker_settings()


@pytest.fixture
async def pc(control: PartnerCenterFake) -> AsyncIterator[PartnerCenterClient]:
    async with fast_client(control) as client:
        yield client


@pytest.fixture
async def shop(pc: PartnerCenterClient, approvals_as_set: None) -> Shop:
    """An organization selling Business Basic at 7.50 and Teams Premium at 10.00 (cost 8.00)."""
    opened = await open_shop(pc, price="7.50")
    price_addons(opened)
    return opened


def tenant_rows(shop: Shop, product_id: str) -> list[Subscription]:
    """The portal's subscriptions of `product_id` in the shop's tenant."""
    with session_scope() as session:
        query = select(Subscription).where(Subscription.product_id == product_id)
        rows = session.exec(query.order_by(col(Subscription.id))).all()
        own = ordering._tenant(session, shop.organization_id).id
        return [row for row in rows if row.tenant_id == own]


async def test_a_subscription_offers_the_add_ons_its_sku_allows_in_its_term_and_cycle(
    control: PartnerCenterFake, pc: PartnerCenterClient, shop: Shop
) -> None:
    base = await base_subscription(control, pc, shop)

    seen = subscriptions.addon_options(actor=shop.broker.principal, subscription_id=base)

    assert seen.friendly_name == "Office staff" and seen.note == ""
    # the shared database's catalog may hold other real add-ons of Basic (a catalog refresh)
    keys = {option.key for option in seen.options}
    assert TEAMS_PREMIUM.key in keys  # not the 1-month term, not billed annually, not another SKU's
    assert not keys & {TEAMS_PREMIUM_ANNUAL.key, TEAMS_PREMIUM_MONTH.key, FOREIGN_ADDON.key}
    [option] = [option for option in seen.options if option.key == TEAMS_PREMIUM.key]
    assert isinstance(option, subscriptions.BrokerAddonOption)
    with session_scope() as session:  # a catalog refresh may have brought Microsoft's words
        stored = session.exec(
            select(CatalogItem.description)
            .where(CatalogItem.product_id == TEAMS_PREMIUM.product_id)
            .where(CatalogItem.availability_id == TEAMS_PREMIUM.availability_id)
            .where(CatalogItem.billing_cycle == TEAMS_PREMIUM.billing_cycle)
        ).one()
    assert (option.key, option.title, option.description) == (
        TEAMS_PREMIUM.key,
        "Microsoft Teams Premium",
        stored,
    )
    assert (option.unit_price, option.currency, option.per) == (
        "10.00",
        "USD",
        "per seat per month",
    )
    cost = cost_today(TEAMS_PREMIUM)  # 8.00, unless a catalog refresh brought a newer one
    margin = (Decimal("10.00") - cost) * 100 / Decimal("10.00")
    assert (option.unit_cost, option.margin) == (f"{cost:.2f} USD", f"{margin:.2f} %")
    assert (option.term, option.billing_cycle, option.held) == ("1 year", "Monthly", "")
    customer_sees = subscriptions.addon_options(actor=shop.customer.principal, subscription_id=base)
    [plain] = [option for option in customer_sees.options if option.key == TEAMS_PREMIUM.key]
    assert type(plain) is subscriptions.AddonOption and not hasattr(plain, "unit_cost")
    assert plain.unit_price == "10.00" and not customer_sees.approvals_apply


async def test_the_preview_says_what_an_add_on_costs_and_commits_before_it_is_added(
    control: PartnerCenterFake, pc: PartnerCenterClient, shop: Shop
) -> None:
    base = await base_subscription(control, pc, shop)

    preview = subscriptions.preview_addon(
        actor=shop.customer.principal, subscription_id=base, item=TEAMS_PREMIUM.key, quantity="3"
    )

    assert (preview.seats, preview.unit_price, preview.total) == ("3 seats", "10.00", "30.00")
    assert preview.summary == (
        "3 seats of Microsoft Teams Premium for Office staff: 30.00 USD per month."
    )
    assert preview.commitment.startswith("It is live at once and billed by Microsoft")
    assert "within 7 days (168 hours)" in preview.commitment and not preview.approval
    assert not hasattr(preview, "unit_cost")
    for quantity, message in (("0", "at least 1 seat"), ("two", "as digits"), ("1.5", "Whole")):
        with pytest.raises(InvalidInput) as refused:
            subscriptions.preview_addon(
                actor=shop.broker.principal, subscription_id=base, item=TEAMS_PREMIUM.key,
                quantity=quantity,
            )  # fmt: skip
        assert message in refused.value.field_errors["quantity"]


async def test_adding_an_add_on_orders_it_in_the_same_tenant_and_it_goes_live(
    control: PartnerCenterFake, pc: PartnerCenterClient, shop: Shop
) -> None:
    base = await base_subscription(control, pc, shop)
    preview = subscriptions.preview_addon(
        actor=shop.broker.principal, subscription_id=base, item=TEAMS_PREMIUM.key, quantity=2
    )

    outcome = await subscriptions.add_addon(
        actor=shop.broker.principal, subscription_id=base, item=TEAMS_PREMIUM.key, quantity=2,
        pc=pc,
    )  # fmt: skip

    assert outcome.kind == "placed"
    assert outcome.message.startswith("Microsoft Teams Premium (2 seats) is ordered")
    [added] = tenant_rows(shop, TEAMS_PREMIUM.product_id)
    assert (added.id, added.status, added.quantity) == (outcome.record_id, "provisioning", 2)
    assert (added.term, added.billing_cycle) == ("P1Y", "monthly")
    assert added.base_subscription_id == base  # the table lists it under its base
    control.post("clock", {"advance": "PT11S"})
    assert outcome.record_id in await complete_provisioning(pc=pc)
    with session_scope() as session:  # what the billing report will bill: the preview's total
        events = rating_events(session, outcome.record_id)
        subject = load_subject(session, shop.broker.principal, outcome.record_id)
        price_on = sales_price_on(session, subject)
    [first_cycle] = rate_history(
        events, until=clock.today(), price_on=price_on, rounding=SALES_ROUNDING
    )
    assert f"{first_cycle.amount.amount:.2f}" == preview.total
    in_partner_center = sandbox_subscriptions(control, shop.customer_id)
    assert {row["offerId"] for row in in_partner_center} >= {TEAMS_PREMIUM.catalog_item_id}
    [option] = [
        option
        for option in subscriptions.addon_options(
            actor=shop.customer.principal, subscription_id=base
        ).options
        if option.key == TEAMS_PREMIUM.key
    ]
    assert (option.held, option.held_quantity) == ("In this tenant: 2 seats", 2)
    with session_scope() as session:
        history = session.exec(
            select(SubscriptionHistory).where(
                SubscriptionHistory.subscription_id == outcome.record_id
            )
        ).all()
    assert [(h.action, h.actor_account_id) for h in history] == [
        ("order", shop.broker.principal.account_id)
    ]
    parents = subscriptions.subscription_history(
        actor=shop.customer.principal, subscription_id=base
    )
    assert (parents[0].action, parents[0].by) == ("Add-on ordered", "Bea Broker")
    assert "Add-on Microsoft Teams Premium · Seats 2" in parents[0].details


async def test_an_add_on_whose_base_is_not_active_in_partner_center_is_refused_in_words(
    control: PartnerCenterFake, pc: PartnerCenterClient, shop: Shop
) -> None:
    base = await base_subscription(control, pc, shop, provisioned=False)

    with pytest.raises(PartnerCenterRefused) as refused:
        await subscriptions.add_addon(
            actor=shop.broker.principal, subscription_id=base, item=TEAMS_PREMIUM.key,
            quantity=1, pc=pc,
        )  # fmt: skip

    assert str(refused.value) == (
        "Microsoft Partner Center refused the order: this add-on needs an active subscription "
        "in the tenant to a product it extends (its prerequisite), and Partner Center finds "
        "none (error 400041). Nothing was bought. Add it once that subscription is active (not "
        "still provisioning or suspended)."
    )
    assert tenant_rows(shop, TEAMS_PREMIUM.product_id) == []
    orders = control.state.table("orders").values()
    bought = [o for o in orders if o["customerId"] == shop.customer_id]
    assert [line["offerId"] for o in bought for line in o["lineItems"]] == [
        "CFQ7TTC0LH18:0001:CFQ7TTC0K971"  # the base only
    ]


async def test_a_customers_add_on_with_approvals_on_waits_for_the_broker(
    control: PartnerCenterFake, pc: PartnerCenterClient, shop: Shop
) -> None:
    base = await base_subscription(control, pc, shop)
    broker_settings(approvals=True)
    assert subscriptions.addon_options(
        actor=shop.customer.principal, subscription_id=base
    ).approvals_apply
    assert subscriptions.preview_addon(
        actor=shop.customer.principal, subscription_id=base, item=TEAMS_PREMIUM.key, quantity=4
    ).commitment.startswith("Your broker approves it first")

    outcome = await subscriptions.add_addon(
        actor=shop.customer.principal, subscription_id=base, item=TEAMS_PREMIUM.key,
        quantity=4, pc=pc,
    )  # fmt: skip

    assert (outcome.kind, outcome.message) == (
        "approval",
        "Your order was sent to your broker for approval.",
    )
    assert tenant_rows(shop, TEAMS_PREMIUM.product_id) == []
    [request] = approvals.list_requests(
        actor=shop.broker.principal, organization_id=shop.organization_id
    )
    assert request.summary.startswith("4 × Microsoft Teams Premium, add-on to Office staff, 1 year")
    assert (request.unit_price, request.total) == ("10.00", "40.00")
    placed = await approving.approve(actor=shop.broker.principal, request_id=request.id, pc=pc)
    [added] = tenant_rows(shop, TEAMS_PREMIUM.product_id)
    assert (placed.kind, added.id, added.quantity) == ("placed", placed.record_id, 4)


async def test_only_the_subscriptions_own_add_ons_can_be_added_and_only_through_it(
    control: PartnerCenterFake, pc: PartnerCenterClient, shop: Shop
) -> None:
    base = await base_subscription(control, pc, shop)
    broker = shop.broker.principal

    with pytest.raises(InvalidInput) as foreign:
        await subscriptions.add_addon(
            actor=broker, subscription_id=base, item=FOREIGN_ADDON.key, quantity=1, pc=pc
        )
    assert foreign.value.field_errors == {"item": "Choose one of the add-ons of Office staff."}
    with pytest.raises(InvalidInput) as direct:  # the add-subscription form can't buy add-ons
        await ordering.place_order(
            actor=broker, organization_id=shop.organization_id,
            form=order_form(TEAMS_PREMIUM, 1), pc=pc,
        )  # fmt: skip
    assert "use its Manage add-ons" in direct.value.field_errors["item"]
    other = new_organization(broker)
    with pytest.raises(NotFound):
        subscriptions.addon_options(actor=new_customer(other.id).principal, subscription_id=base)
    with pytest.raises(NotFound):
        await subscriptions.add_addon(
            actor=new_customer(other.id).principal, subscription_id=base,
            item=TEAMS_PREMIUM.key, quantity=1, pc=pc,
        )  # fmt: skip
    assert tenant_rows(shop, TEAMS_PREMIUM.product_id) == []
