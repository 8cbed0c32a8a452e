"""Prices typed in the broker's number format, same-day corrections while nothing was charged
(audited), and prices below cost that need an explicit confirmation (issue 9 items 3 and 5)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from o365portal.db.engine import session_scope
from o365portal.db.enums import ChangeOrigin, TenantStatus
from o365portal.db.tables.audit import AuditLogEntry
from o365portal.db.tables.subscriptions import SubscriptionHistory
from o365portal.db.tables.tenants import Tenant
from o365portal.services import clock
from o365portal.services.accounts import _settings as broker_settings
from o365portal.services.errors import InvalidInput
from o365portal.services.ordering._records import Purchase, record_order
from o365portal.services.pricing import _csv as price_csv
from o365portal.services.pricing import _editor as price_editor
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _rows as price_rows
from o365portal.services.pricing._csv import CsvRejected
from o365portal.services.pricing._store import CatalogItemRef
from tests.builders import Account, new_organization, unique
from tests.services.pricing_support import (  # noqa: F401 - fixtures
    _broker,
    _pricing_database,
    add_cost,
    new_catalog_item,
)

HEADER = "ProductId,SkuId,AvailabilityId,Term,BillingCycle,SalesPrice\n"


@pytest.fixture
def german(broker: Account) -> Iterator[None]:
    """The broker's number format is de_DE for one test (the settings row is shared)."""
    saved = broker_settings.get_broker_settings(actor=broker.principal).as_form()
    broker_settings.update_broker_settings(
        actor=broker.principal, form=saved | {"number_locale": "de_DE"}
    )
    yield
    broker_settings.update_broker_settings(actor=broker.principal, form=saved)


def _set(
    broker: Account, item: CatalogItemRef, price: str, **extra: object
) -> price_lists.SavedPrice:
    arguments = {"effective": clock.today()} | extra
    return price_lists.set_price(
        actor=broker.principal,
        list_id=None,
        item=item,
        price=price,
        **arguments,  # type: ignore[arg-type]
    )


def _row(broker: Account, item: CatalogItemRef) -> price_rows.PriceRow:
    filters = price_rows.PriceFilters(text=item.product_id)
    return price_rows.price_rows(actor=broker.principal, list_id=None, filters=filters).rows[0]


def _order(broker: Account, item: CatalogItemRef, unit_price: str) -> SubscriptionHistory:
    """A purchase recorded as the ordering services record it (the sandbox is not needed)."""
    organization = new_organization(broker.principal)
    with session_scope() as session:
        tenant = Tenant(
            organization_id=organization.id, customer_id=unique("c-"),
            domain=unique("t") + ".example", status=TenantStatus.ACTIVE,
        )  # fmt: skip
        session.add(tenant)
        session.flush()
        purchase = Purchase(
            tenant_id=tenant.id or 0, ref=item, friendly_name="Seats", po_number=None,
            quantity=2, order_id=unique("o-"), actor_account_id=broker.principal.account_id,
            origin=ChangeOrigin.PORTAL, unit_price=Decimal(unit_price), currency="USD", note="",
        )  # fmt: skip
        row = record_order(session, purchase, clock.now())
        return session.exec(
            select(SubscriptionHistory).where(SubscriptionHistory.subscription_id == row.id)
        ).one()


# Item 3: decimal commas and locale


def test_under_en_us_a_decimal_comma_is_refused_not_read_as_hundreds(broker: Account) -> None:
    item = new_catalog_item()
    with pytest.raises(InvalidInput) as refused:
        _set(broker, item, "5,76")
    assert (
        refused.value.field_errors["price"] == "“5,76”: the decimal sign here is “.”; write 5.76."
    )
    with pytest.raises(InvalidInput, match="highlighted") as ambiguous:
        _set(broker, item, "1,234")
    assert "ambiguous" in ambiguous.value.field_errors["price"]
    assert _row(broker, item).price is None
    assert _set(broker, item, "1,234.5").message.startswith("Saved 1,234.50 USD from ")


def test_under_de_de_prices_are_read_and_echoed_with_a_decimal_comma(
    broker: Account, german: None
) -> None:
    item, other = new_catalog_item(), new_catalog_item()
    saved = _set(broker, item, "5,76")
    assert saved.message == f"Saved 5,76 USD from {clock.today().isoformat()}."
    assert _row(broker, item).price == Decimal("5.76")
    assert _view(broker, item).own_price == "5,76"
    assert _set(broker, other, "1.234,5").amount == "1.234,50"
    with pytest.raises(InvalidInput) as refused:
        _set(broker, new_catalog_item(), "1.234")
    assert refused.value.field_errors["price"] == (
        "“1.234” is ambiguous: write 1234 or 1.234,00 for the whole amount 1234, "
        "or 1,234 for a decimal amount."
    )


def test_a_csv_is_read_in_the_brokers_format_and_ambiguity_names_line_and_column(
    broker: Account, german: None
) -> None:
    good, unclear = new_catalog_item(), new_catalog_item()
    line = ",".join(good.__dict__.values())
    text = HEADER + f'{line},"5,76"\n' + ",".join(unclear.__dict__.values()) + ",1.234\n"
    with pytest.raises(CsvRejected) as refused:
        price_csv.import_csv(
            actor=broker.principal, list_id=None, text=text, default_effective=None
        )
    assert [str(p) for p in refused.value.problems] == [
        "line 3, column SalesPrice: “1.234” is ambiguous: write 1234 or 1.234,00 for the whole "
        "amount 1234, or 1,234 for a decimal amount."
    ]
    assert _row(broker, good).price is None  # the whole file was refused
    fixed = text.replace(",1.234\n", ',"1.234,00"\n')
    result = price_csv.import_csv(
        actor=broker.principal, list_id=None, text=fixed, default_effective=None
    )
    assert result.stored == 2
    assert (_row(broker, good).price, _row(broker, unclear).price) == (
        Decimal("5.76"),
        Decimal("1234"),
    )
    exported = price_csv.export_csv(actor=broker.principal, list_id=None)
    assert f'{line},{_row(broker, good).title},USD,,"5,76",,' in exported


def test_settings_refuse_a_number_format_that_is_not_offered(broker: Account) -> None:
    saved = broker_settings.get_broker_settings(actor=broker.principal).as_form()
    with pytest.raises(InvalidInput) as refused:
        broker_settings.update_broker_settings(
            actor=broker.principal, form=saved | {"number_locale": "xx_YY"}
        )
    assert refused.value.field_errors == {"number_locale": "Choose a number format from the list."}


# Item 5: corrections the same day, audited; below cost needs a confirmation


def test_todays_price_is_corrected_the_same_day_and_the_replaced_value_is_audited(
    broker: Account,
) -> None:
    item = new_catalog_item()
    _set(broker, item, "576")
    corrected = _set(broker, item, "5.76")
    today = clock.today().isoformat()
    assert corrected.message == f"Corrected the price from {today} to 5.76 USD (was 576.00)."
    row = _row(broker, item)
    assert row.price == Decimal("5.76") and row.correction is not None
    assert re.fullmatch(
        r"Corrected from 576\.00 by Bea Broker at \d\d:\d\d UTC\.",
        _view(broker, item).note,
    )
    with session_scope() as session:
        audit = session.exec(
            select(AuditLogEntry).where(AuditLogEntry.action == "price_list_entry.correct")
            .where(AuditLogEntry.details["item"].as_string() == item.key)
        ).one()  # fmt: skip
    assert audit.actor_account_id == broker.principal.account_id
    assert Decimal(audit.details["before"]) == 576 and Decimal(audit.details["after"]) == Decimal(
        "5.76"
    )
    assert audit.details["before_entered_by_account_id"] == broker.principal.account_id
    assert audit.details["effective_from"] == today and audit.details["before_entered_at"]


def test_once_an_order_was_charged_at_todays_price_it_cannot_be_corrected(
    broker: Account,
) -> None:
    item = new_catalog_item()
    _set(broker, item, "576")
    charged = _order(broker, item, "576")
    assert charged.price_list_entry_id is not None
    assert _row(broker, item).earliest == clock.today() + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        _set(broker, item, "5.76")
    assert refused.value.field_errors["effective_from"] == (
        "Today's price has been charged already (1 order(s)); a new price can start tomorrow "
        "at the earliest."
    )
    tomorrow = _set(broker, item, "5.76", effective=None)  # no day chosen: the earliest allowed
    assert tomorrow.effective == clock.today() + timedelta(days=1)
    assert (_row(broker, item).price, _row(broker, item).next_price) == (576, Decimal("5.76"))


def test_an_order_names_no_entry_when_its_price_was_corrected_meanwhile(broker: Account) -> None:
    item = new_catalog_item()
    _set(broker, item, "576")
    _set(broker, item, "5.76")  # corrected after the customer was quoted 576
    assert _order(broker, item, "576").price_list_entry_id is None
    _set(broker, item, "5.75")  # still correctable: nothing was charged at it
    assert _row(broker, item).price == Decimal("5.75")


def test_a_price_below_cost_needs_an_explicit_confirmation(broker: Account) -> None:
    item = new_catalog_item()
    add_cost(item, "8", "2020-01-01")
    with pytest.raises(price_lists.BelowCost) as refused:
        _set(broker, item, "7.2")
    assert refused.value.field_errors["price"] == (
        "7.20 is below Microsoft's cost 8.00 USD (margin -11.11%): confirm to sell below cost."
    )
    assert _row(broker, item).price is None
    _set(broker, item, "7.2", confirm_below_cost=True)
    row = _row(broker, item)
    assert (row.price, row.below_cost, _view(broker, item).below_cost) == (
        Decimal("7.2"), True, True,
    )  # fmt: skip


def _view(broker: Account, item: CatalogItemRef) -> price_editor.PriceRowView:
    """The item's row as the editor shows it (amounts in the broker's number format)."""
    filters = price_rows.PriceFilters(text=item.product_id)
    return price_editor.price_editor_page(
        actor=broker.principal, list_id=None, filters=filters
    ).rows[0]


def test_a_csv_row_below_cost_is_refused_unless_confirmed(broker: Account) -> None:
    item = new_catalog_item()
    add_cost(item, "8", "2020-01-01")
    text = HEADER + ",".join(item.__dict__.values()) + ",7.50\n"
    with pytest.raises(CsvRejected) as refused:
        price_csv.import_csv(
            actor=broker.principal, list_id=None, text=text, default_effective=clock.today()
        )
    assert refused.value.below_cost
    assert [(p.line, p.column) for p in refused.value.problems] == [(2, "SalesPrice")]
    result = price_csv.import_csv(
        actor=broker.principal, list_id=None, text=text, default_effective=clock.today(),
        confirm_below_cost=True,
    )  # fmt: skip
    assert result.stored == 1 and _row(broker, item).price == Decimal("7.50")


def test_a_started_day_is_never_chosen_for_the_broker(broker: Account) -> None:
    item = new_catalog_item()
    saved = _set(broker, item, "10", effective=None)
    assert saved.effective == clock.today()
    assert datetime.now(UTC).date() <= saved.effective + timedelta(days=1)
