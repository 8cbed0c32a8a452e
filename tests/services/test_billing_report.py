"""The billing report against the sandbox: Microsoft's worked examples (partner-center-api.md
§10.4: a purchase, seats added two days in, seats removed the same day, a cancellation two days
in, annual paid up front) are played through the portal's own services with both clocks on
Microsoft's days; the report bills them with Microsoft's amounts on the cost side and the
broker's prices on the sales side, explains every line, and reconciles with the sandbox's
reconciliation lines, unbilled while the month is open and invoiced after it closes. Customers
see their own organization's sales amounts only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

from o365portal.services import billing, subscriptions
from o365portal.services.errors import InvalidInput, NotAllowed, NotFound
from o365portal.services.subscriptions import PriceForm
from tests.builders import new_broker, new_organization
from tests.fakes.partner_center import PartnerCenterFake
from tests.services.billing_support import (
    NO_TEAMS_ANNUAL,
    NO_TEAMS_MONTHLY,
    NO_TEAMS_P1Y_MONTHLY,
    at,
    billing_cycle_day,
    buy,
    clocks_put_back,
    ensure_global_price,
    set_clocks,
    whole_report,
)
from tests.services.ordering_support import Shop, fast_client, open_shop, set_price

pytestmark = pytest.mark.usefixtures("portal_env")

Row = tuple[str, str, int, str, str | None]  # type, Microsoft charge type, quantity, amount, cost


@pytest.fixture(autouse=True)
def clocks_back(portal_env: None, control: PartnerCenterFake) -> Iterator[None]:
    """The tests move both clocks; both go back afterwards."""
    with clocks_put_back(control):
        yield


MICROSOFTS_EXAMPLE = ("10.08", "120.96")  # §10.4's price a month, and 12 x it paid up front


async def _shop(
    sandbox: PartnerCenterFake,
    day: str,
    *,
    priced: bool = True,
    prices: tuple[str, str] = ("9.00", "108.00"),
) -> Shop:
    """A shop opened on `day`, selling Basic (no Teams) at `prices`: a month, a year paid up
    front (unless not `priced`)."""
    set_clocks(sandbox, at(day))
    async with fast_client(sandbox) as pc:
        shop = await open_shop(pc)
    if priced:
        set_price(shop, NO_TEAMS_MONTHLY, prices[0], date(2020, 1, 1))
        set_price(shop, NO_TEAMS_ANNUAL, prices[1], date(2020, 1, 1))
    return shop


def _report(shop: Shop, month: str, *, customer: bool = False) -> billing.BillingReport:
    who = shop.customer if customer else shop.broker
    [report] = whole_report(
        actor=who.principal,
        first_month=month,
        last_month=month,
        organization_id=shop.organization_id,
    )
    return report


def _rows(report: billing.BillingReport) -> list[Row]:
    return [
        (
            line.type,
            line.microsoft_charge_type,
            line.quantity,
            str(line.amount),
            str(line.cost) if isinstance(line, billing.BrokerLineView) else None,
        )
        for sub in report.subscriptions
        for line in sub.lines
    ]


async def _reconciled(shop: Shop, report: billing.BillingReport) -> billing.Reconciliation:
    [checked] = await billing.reconcile(actor=shop.broker.principal, reports=[report])
    assert checked.reconciliation is not None
    return checked.reconciliation


async def test_microsofts_purchase_and_seat_changes_bill_microsofts_amounts_and_reconcile(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    """Bought 2021-06-18 (cycle to 07-17, 30 days); on 06-20 two seats added, then four
    removed: 28 of 30 days. The sales side bills Microsoft's published amounts (at its 10.08);
    the cost side is the sandbox's price, 7.20, by the same formulas."""
    shop = await _shop(sandbox, "2021-06-18", prices=MICROSOFTS_EXAMPLE)
    subscription_id = await buy(
        sandbox,
        control,
        shop,
        NO_TEAMS_MONTHLY,
        10,
        friendly_name="Front office",
        po_number="PO-2106",
    )
    set_clocks(control, at("2021-06-20"))
    broker = shop.broker.principal
    async with fast_client(sandbox) as pc:
        for quantity in (12, 8):
            await subscriptions.change_quantity(
                actor=broker, subscription_id=subscription_id, quantity=quantity, pc=pc
            )

    report = _report(shop, "2021-06")

    assert (report.billing_date, report.period_start, report.period_end) == (
        date(2021, 7, 1),
        date(2021, 6, 1),
        date(2021, 6, 30),
    )
    assert _rows(report) == [
        ("New purchase", "new", 10, "100.80", "72.00"),
        ("Pro-rata for added seats", "addQuantity", 10, "-94.08", "-67.20"),
        ("Pro-rata for added seats", "addQuantity", 12, "112.89", "80.64"),
        ("Refund for removed seats", "removeQuantity", 12, "-112.89", "-80.64"),
        ("Refund for removed seats", "removeQuantity", 8, "75.26", "53.76"),
    ]
    [sub] = report.subscriptions
    assert isinstance(sub, billing.BrokerSubscriptionBilling)
    assert (sub.friendly_name, sub.po_number, sub.offer_id) == (
        "Front office",
        "PO-2106",
        NO_TEAMS_MONTHLY.catalog_item_id,
    )
    assert (sub.total, sub.cost, sub.margin) == (
        Decimal("81.98"),
        Decimal("58.56"),
        Decimal("23.42"),
    )
    assert isinstance(report, billing.BrokerBillingReport) and report.total_text == "81.98 USD"
    assert report.margin_percent == Decimal("28.57") and report.margin_percent_text == "28.57 %"
    added = sub.lines[2]
    assert "Seats changed from 10 to 12 on 2021-06-20 in the portal" in added.why
    assert "a new seat lot of 2 seats" in added.why
    assert "12 seats x 10.08 USD x 28/30 days = 112.89 USD" in added.why
    assert 'from the customer price list "' in added.why and "read on 2021-06-18" in added.why
    assert "4 seats given back within their 7-day window" in sub.lines[3].why
    assert isinstance(added, billing.BrokerLineView)
    assert "12 seats x 7.20 USD x 28/30 days = 80.64 USD" in added.cost_why

    reconciliation = await _reconciled(shop, report)
    assert (reconciliation.matches, reconciliation.status) == (True, "matches Microsoft")
    assert reconciliation.lines_checked == 5
    assert reconciliation.sources == ("unbilled lines of 2021-06",)


async def test_microsofts_cancellation_two_days_in_refunds_the_unused_days_invoiced_or_not(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    """Bought 2021-07-15, cancelled 07-17: 29 of 31 days refunded; Microsoft truncates the
    effective unit price to cents first (10.08 / 31 x 29 = 9.429… -> 9.42: its published
    -94.20; the cost, 7.20 / 31 x 29 = 6.735… -> 6.73)."""
    shop = await _shop(sandbox, "2021-07-15", prices=MICROSOFTS_EXAMPLE)
    subscription_id = await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 10)
    set_clocks(control, at("2021-07-17"))
    async with fast_client(sandbox) as pc:
        await subscriptions.cancel_subscription(
            actor=shop.broker.principal, subscription_id=subscription_id, pc=pc
        )

    expected = [
        ("New purchase", "new", 10, "100.80", "72.00"),
        ("Cancellation refund", "cancelImmediate", 10, "-94.20", "-67.30"),
    ]
    assert _rows(_report(shop, "2021-07")) == expected
    set_clocks(control, at("2021-08-02"))  # July closes: Microsoft invoices it
    report = _report(shop, "2021-07")
    assert _rows(report) == expected
    assert "Cancelled on 2021-07-17 in the portal" in report.subscriptions[0].lines[1].why
    reconciliation = await _reconciled(shop, report)
    assert reconciliation.matches and reconciliation.sources[0].startswith("invoice G")


async def test_microsofts_annual_upfront_is_one_line_for_the_year(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop = await _shop(sandbox, "2021-06-18", prices=MICROSOFTS_EXAMPLE)
    await buy(sandbox, control, shop, NO_TEAMS_ANNUAL, 10)
    set_clocks(control, at("2021-07-20"))

    june, july = whole_report(
        actor=shop.broker.principal,
        first_month="2021-06",
        last_month="2021-07",
        organization_id=shop.organization_id,
    )

    assert _rows(june) == [("New purchase", "new", 10, "1209.60", "720.00")]  # 10 x 120.96
    [line] = june.subscriptions[0].lines
    assert (line.charge_start, line.charge_end) == (date(2021, 6, 18), date(2022, 6, 17))
    assert july.subscriptions == () and july.total == 0
    assert (await _reconciled(shop, june)).matches


async def test_a_change_made_at_microsoft_and_not_synced_is_a_difference_line_by_line(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop = await _shop(sandbox, "2021-06-18")
    subscription_id = await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 10, friendly_name="Desk")
    set_clocks(control, at("2021-06-20"))
    [row] = [
        s
        for s in control.state.table("subscriptions").values()
        if s["customerId"] == shop.customer_id
    ]
    async with sandbox.client(portal_app=True) as pc:  # someone in Microsoft's own portal
        await pc.subscriptions.set_quantity(shop.customer_id, row["id"], 11)

    reconciliation = await _reconciled(shop, _report(shop, "2021-06"))

    assert not reconciliation.matches and reconciliation.status == "2 differences with Microsoft"
    assert [(d.kind, d.quantity, d.ours, d.microsofts) for d in reconciliation.differences] == [
        ("missing on our side", 10, None, Decimal("-67.20")),
        ("missing on our side", 11, None, Decimal("73.92")),
    ]
    assert reconciliation.differences[0].partner_center_subscription_id == row["id"].lower()
    assert (
        "Microsoft billed -67.20, the portal has no such line" in reconciliation.differences[0].text
    )
    assert subscription_id


async def test_a_subscription_microsoft_bills_in_another_currency_is_said_not_compared(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    """A customer in the UK market: Microsoft bills its seats in GBP, the portal's costs are in
    USD; the line is not compared, and the reconciliation says why instead of listing it as
    missing on both sides."""
    shop = await _shop(sandbox, "2021-06-18")
    billing_profile = control.state.table("customers")[shop.customer_id]["billingProfile"]
    billing_profile["defaultAddress"]["country"] = "GB"
    await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 10, friendly_name="London office")
    set_clocks(control, at("2021-07-02"))  # June closes: Microsoft invoices it, in GBP

    reconciliation = await _reconciled(shop, _report(shop, "2021-06"))

    assert not reconciliation.matches and reconciliation.differences == ()
    assert reconciliation.status == "no differences; 1 billed in another currency, not compared"
    assert reconciliation.not_compared == (
        "London office: Microsoft bills it in GBP, the portal's costs are in USD, "
        "so it is not compared.",
    )
    assert any(source.endswith("(GBP)") for source in reconciliation.sources)


async def test_every_line_is_priced_by_the_right_list_on_the_right_day(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    """A P1Y subscription billed monthly, bought 2026-01-10 at the customer list's 9.00 (the
    term's price); its own price of 6.00 from 02-15 on, read from the next charge cycle (03-10);
    two seats added on 02-20 in the cycle 02-10..03-09 (28 days, 18 billed) at that cycle's
    price. Another subscription, of an item only the global list prices, at its 11.00."""
    ensure_global_price(NO_TEAMS_MONTHLY, "11.00")
    shop = await _shop(sandbox, "2026-01-10", priced=False)
    set_price(shop, NO_TEAMS_P1Y_MONTHLY, "9.00", date(2020, 1, 1))
    listed = await buy(sandbox, control, shop, NO_TEAMS_P1Y_MONTHLY, 4, friendly_name="Listed")
    await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 2, friendly_name="Global")
    broker = shop.broker.principal
    subscriptions.set_sales_price(
        actor=broker,
        subscription_id=listed,
        form=PriceForm(effective_from="2026-02-15", price="6.00", reason="loyalty"),
    )
    set_clocks(control, at("2026-02-20"))
    async with fast_client(sandbox) as pc:
        await subscriptions.change_quantity(actor=broker, subscription_id=listed, quantity=6, pc=pc)
    set_clocks(control, at("2026-03-12"))

    january, february, march = whole_report(
        actor=broker,
        first_month="2026-01",
        last_month="2026-03",
        organization_id=shop.organization_id,
    )

    def lines(report: billing.BillingReport, name: str) -> list[tuple[str, int, str, str]]:
        return [
            (line.type, line.quantity, str(line.amount), _source(line.why))
            for sub in report.subscriptions
            if sub.friendly_name == name
            for line in sub.lines
        ]

    assert lines(january, "Listed") == [("New purchase", 4, "36.00", "customer")]
    assert lines(february, "Listed") == [
        ("Cycle fee", 4, "36.00", "customer"),
        ("Pro-rata for added seats", 4, "-23.14", "customer"),  # 4 x 9.00 x 18/28
        ("Pro-rata for added seats", 6, "34.71", "customer"),  # 6 x 9.00 x 18/28
    ]
    assert lines(march, "Listed") == [("Cycle fee", 6, "36.00", "own")]  # 6 x 6.00
    assert lines(january, "Global") == [("New purchase", 2, "22.00", "global")]
    assert "read on 2026-02-15" in march.subscriptions[0].lines[0].why
    assert "read on 2026-01-10" in february.subscriptions[0].lines[2].why
    assert march.total == Decimal("36.00")


def _source(why: str) -> str:
    sources = {
        "customer price list": "customer",
        "own sales price": "own",
        "global price": "global",
    }
    return next(short for words, short in sources.items() if words in why)


def test_months_and_organizations_are_checked() -> None:
    broker = new_broker().principal
    with pytest.raises(InvalidInput) as bad:
        whole_report(actor=broker, first_month="2026-13", last_month="2026-12")
    assert "first_month" in bad.value.field_errors
    with pytest.raises(InvalidInput) as backwards:
        whole_report(actor=broker, first_month="2026-05", last_month="2026-04")
    assert "last_month" in backwards.value.field_errors
    with pytest.raises(NotFound):
        whole_report(
            actor=broker, first_month="2026-01", last_month="2026-01", organization_id=10**9
        )


async def test_a_customer_sees_only_its_own_sales_amounts(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop = await _shop(sandbox, "2021-06-18")
    await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 3)
    customer = shop.customer.principal

    [report] = whole_report(actor=customer, first_month="2021-06", last_month="2021-06")

    assert type(report) is billing.BillingReport and report.organization_id == shop.organization_id
    assert [type(s) for s in report.subscriptions] == [billing.SubscriptionBilling]
    assert all(type(line) is billing.LineView for line in report.subscriptions[0].lines)
    assert all(type(o) is billing.OrganizationTotal for o in report.organizations)
    for view in (report, report.subscriptions[0], report.subscriptions[0].lines[0]):
        names = {f.name for f in fields(view)}
        assert not {n for n in names if "cost" in n or "margin" in n}
    assert "cost" not in repr(report).lower() and "margin" not in repr(report).lower()
    assert report.total == Decimal("27.00")
    elsewhere = new_organization(new_broker().principal)
    with pytest.raises(NotFound):
        whole_report(
            actor=customer,
            first_month="2021-06",
            last_month="2021-06",
            organization_id=elsewhere.id,
        )
    with pytest.raises(NotAllowed):
        await billing.reconcile(actor=customer, reports=[report])


async def test_a_cycle_ending_on_the_15th_dates_the_report_the_16th_and_reconciles_both_months(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop = await _shop(sandbox, "2021-06-18")
    billing_cycle_day(15)
    await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 10)
    set_clocks(control, at("2021-07-02"))  # June closes: Microsoft invoices it

    june, july = whole_report(
        actor=shop.broker.principal,
        first_month="2021-06",
        last_month="2021-07",
        organization_id=shop.organization_id,
    )

    assert (june.period_start, june.period_end, june.billing_date) == (
        date(2021, 5, 16),
        date(2021, 6, 15),
        date(2021, 6, 16),
    )
    assert june.subscriptions == ()
    assert (july.period_start, july.period_end, july.billing_date) == (
        date(2021, 6, 16),
        date(2021, 7, 15),
        date(2021, 7, 16),
    )
    assert _rows(july) == [("New purchase", "new", 10, "90.00", "72.00")]
    reconciliation = await _reconciled(shop, july)
    assert reconciliation.matches and reconciliation.lines_checked == 1
    assert reconciliation.sources[0].startswith("invoice G")
    assert reconciliation.sources[1] == "unbilled lines of 2021-07"


async def test_the_broker_wide_report_totals_each_organization_and_each_month(
    sandbox: PartnerCenterFake, control: PartnerCenterFake
) -> None:
    shop = await _shop(sandbox, "2021-06-18")
    await buy(sandbox, control, shop, NO_TEAMS_MONTHLY, 10, friendly_name="Everyone")
    broker = shop.broker.principal

    reports = whole_report(actor=broker, first_month="2021-06", last_month="2021-06")

    [june] = reports
    assert isinstance(june, billing.BrokerBillingReport) and june.organization_id is None
    [ours] = [o for o in june.organizations if o.organization_id == shop.organization_id]
    assert isinstance(ours, billing.BrokerOrganizationTotal)
    assert (ours.total, ours.cost, ours.margin_percent) == (
        Decimal("90.00"),
        Decimal("72.00"),
        Decimal("20.00"),
    )
    assert june.total == sum((o.total for o in june.organizations), Decimal(0))
    [total] = billing.monthly_totals(reports)
    assert (total.month, total.revenue, total.cost) == ("2021-06", june.total, june.cost)
    with pytest.raises(NotAllowed):
        billing.monthly_totals(
            whole_report(actor=shop.customer.principal, first_month="2021-06", last_month="2021-06")
        )


def test_last_month_is_the_month_the_latest_ended_period_of_the_cycle_ends_in(
    control: PartnerCenterFake,
) -> None:
    set_clocks(control, at("2026-03-20"))
    assert billing.last_month() == "2026-02"  # calendar months: February's period
    billing_cycle_day(15)
    assert billing.last_month() == "2026-03"  # 2026-02-16 – 2026-03-15 has ended
    set_clocks(control, at("2026-03-10"))
    assert billing.last_month() == "2026-02"  # 2026-01-16 – 2026-02-15
