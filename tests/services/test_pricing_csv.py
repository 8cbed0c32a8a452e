"""Price lists as CSV: export, all-or-nothing import with line/column problems, and Microsoft's
price sheet as the source of cost."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from o365portal.services import clock
from o365portal.services.errors import NotAllowed
from o365portal.services.pricing import _csv as price_csv
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _quote as pricing
from o365portal.services.pricing import _rows as price_rows
from o365portal.services.pricing import _sheet as price_sheet
from o365portal.services.pricing._csv import CsvRejected
from o365portal.services.pricing._store import CatalogItemRef
from tests.builders import Account, new_customer, new_organization, unique
from tests.services.pricing_support import (  # noqa: F401 - fixtures
    _broker,
    _pricing_database,
    add_cost,
    new_catalog_item,
)

HEADER = "ProductId,SkuId,AvailabilityId,Term,BillingCycle,SalesPrice,EffectiveFrom\n"


def _line(item: CatalogItemRef, price: str, day: str = "") -> str:
    return ",".join([*item.__dict__.values(), price, day]) + "\n"


def _rows(broker: Account, list_id: int | None, item: CatalogItemRef) -> list[price_rows.PriceRow]:
    filters = price_rows.PriceFilters(text=item.product_id)
    return price_rows.price_rows(actor=broker.principal, list_id=list_id, filters=filters).rows


def _edit(text: str, product_id: str, **cells: str) -> str:
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
    writer.writeheader()
    for row in reader:
        writer.writerow(row | cells if row["ProductId"] == product_id else row | {"SalesPrice": ""})
    return out.getvalue()


def test_a_file_with_a_bad_row_is_refused_whole_with_line_and_column(broker: Account) -> None:
    good, other = new_catalog_item(), new_catalog_item()
    unknown = CatalogItemRef(unique("NOPE"), "0001", "X", "P1Y", "monthly")
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    text = (
        HEADER + _line(good, "12.00") + _line(other, "twelve") + _line(unknown, "5")
        + _line(good, "13", "next week") + _line(other, "9", yesterday)
    )  # fmt: skip
    with pytest.raises(CsvRejected) as refused:
        price_csv.import_csv(
            actor=broker.principal, list_id=None, text=text, default_effective=clock.today()
        )
    problems = {(p.line, p.column) for p in refused.value.problems}
    assert problems == {
        (3, "SalesPrice"),
        (4, "ProductId"),
        (5, "EffectiveFrom"),
        (6, "EffectiveFrom"),
    }
    assert (
        "line 3, column SalesPrice: “twelve” is not an amount here: write it with “.” as the "
        "decimal sign, e.g. 1,234.56 or 1234.56."
    ) in map(str, refused.value.problems)
    assert _rows(broker, None, good)[0].price is None  # nothing applied, not even line 2


def test_a_good_file_stores_every_priced_row_and_skips_empty_prices(broker: Account) -> None:
    first, second, untouched = new_catalog_item(), new_catalog_item(), new_catalog_item()
    tomorrow = clock.today() + timedelta(days=1)
    text = (
        HEADER
        + _line(first, "12.00")
        + _line(second, "7.5", tomorrow.isoformat())
        + _line(untouched, "")
    )
    result = price_csv.import_csv(
        actor=broker.principal, list_id=None, text=text, default_effective=clock.today()
    )
    assert (result.stored, result.skipped) == (1 + 1, 1)
    assert _rows(broker, None, first)[0].price == Decimal("12.00")
    upcoming = _rows(broker, None, second)[0]
    assert (upcoming.price, upcoming.next_price, upcoming.next_from) == (
        None,
        Decimal("7.5"),
        tomorrow,
    )
    assert _rows(broker, None, untouched)[0].source == ""


def test_missing_columns_are_named(broker: Account) -> None:
    with pytest.raises(CsvRejected) as refused:
        price_csv.import_csv(
            actor=broker.principal, list_id=None, text="ProductId,Price\nX,1\n",
            default_effective=clock.today(),
        )  # fmt: skip
    assert {p.column for p in refused.value.problems} == {
        "SkuId", "AvailabilityId", "Term", "BillingCycle", "SalesPrice",
    }  # fmt: skip


def test_an_export_lists_cost_price_and_margin_and_imports_back(broker: Account) -> None:
    item = new_catalog_item()
    add_cost(item, "8", "2020-01-01")
    summary = price_lists.create_price_list(
        actor=broker.principal, name=unique("Export "), currency="USD"
    )
    price_lists.set_price(
        actor=broker.principal, list_id=summary.id, item=item, price="10", effective=clock.today()
    )
    exported = price_csv.export_csv(actor=broker.principal, list_id=summary.id)
    rows = {row["ProductId"]: row for row in csv.DictReader(io.StringIO(exported))}
    row = rows[item.product_id]
    assert (row["Cost"], row["SalesPrice"], row["MarginPercent"]) == ("8.00", "10.00", "20.00")
    edited = _edit(exported, item.product_id, SalesPrice="11", EffectiveFrom="")
    again = price_csv.import_csv(
        actor=broker.principal, list_id=summary.id, text=edited,
        default_effective=clock.today() + timedelta(days=3),
    )  # fmt: skip
    assert (again.stored, again.skipped) == (1, len(exported.splitlines()) - 2)
    assert _rows(broker, summary.id, item)[0].next_price == Decimal("11")


def test_a_customer_list_row_without_an_entry_falls_back_to_global(broker: Account) -> None:
    item = new_catalog_item()
    summary = price_lists.create_price_list(
        actor=broker.principal, name=unique("Fallback "), currency="USD"
    )
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="15", effective=clock.today()
    )
    row = _rows(broker, summary.id, item)[0]
    assert (row.source, row.price) == ("global", Decimal("15"))
    price_lists.set_price(
        actor=broker.principal, list_id=summary.id, item=item, price="14", effective=clock.today()
    )
    row = _rows(broker, summary.id, item)[0]
    assert (row.source, row.price) == ("list", Decimal("14"))


def test_the_price_sheet_sets_microsoft_cost_for_the_brokers_market(broker: Account) -> None:
    item = new_catalog_item(term="P1Y", billing_cycle="annual")
    org = new_organization(broker.principal)
    sheet = (
        "ProductTitle,ProductId,SkuId,SkuTitle,TermDuration,BillingPlan,Market,Currency,"
        "UnitPrice,EffectiveStartDate,ERP Price\n"
        f"Suite,{item.product_id},{item.sku_id},Suite,P1Y,Annual,US,USD,72.00,2020-03-01T00:00:00Z,86.40\n"
        f"Suite,{item.product_id},{item.sku_id},Suite,P1Y,Annual,DE,EUR,66.00,3/1/2020,79.20\n"
        f"Other,{unique('GONE')},0001,Other,P1Y,Annual,US,USD,1.00,2020-03-01,1.20\n"
    )
    result = price_sheet.import_price_sheet(actor=broker.principal, text=sheet)
    assert (result.stored, result.other_market, result.not_in_catalog) == (1, 1, 1)
    assert price_sheet.import_price_sheet(actor=broker.principal, text=sheet).unchanged == 1
    price_lists.set_price(
        actor=broker.principal, list_id=None, item=item, price="90", effective=clock.today()
    )
    quote = pricing.quote(
        actor=broker.principal, organization_id=org.id, item=item, quantity=1, on=clock.today()
    )
    assert isinstance(quote, pricing.BrokerPriceQuoteView)
    assert (quote.unit_cost, quote.margin_percent) == (Decimal("72.00"), Decimal("20.00"))


def test_a_price_sheet_with_a_bad_row_stores_nothing(broker: Account) -> None:
    item = new_catalog_item(term="P1M", billing_cycle="monthly")
    sheet = (
        "ProductId,SkuId,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate\n"
        f"{item.product_id},{item.sku_id},P1M,Monthly,US,USD,7.20,2020-03-01\n"
        f"{item.product_id},{item.sku_id},P1M,Monthly,US,USD,abc,someday\n"
    )
    with pytest.raises(CsvRejected) as refused:
        price_sheet.import_price_sheet(actor=broker.principal, text=sheet)
    assert {(p.line, p.column) for p in refused.value.problems} == {
        (3, "UnitPrice"),
        (3, "EffectiveStartDate"),
    }
    assert _rows(broker, None, item)[0].cost is None


def test_customers_cannot_import_or_export(broker: Account) -> None:
    customer = new_customer(new_organization(broker.principal).id)
    with pytest.raises(NotAllowed):
        price_csv.export_csv(actor=customer.principal, list_id=None)
    with pytest.raises(NotAllowed):
        price_csv.import_csv(
            actor=customer.principal, list_id=None, text=HEADER, default_effective=clock.today()
        )
    with pytest.raises(NotAllowed):
        price_sheet.import_price_sheet(actor=customer.principal, text="")


def test_the_editor_filters_and_pages_on_the_server(broker: Account) -> None:
    tag = unique("Suite-")
    first = new_catalog_item(title=tag, category="Category A")
    second = new_catalog_item(term="P1M", title=tag, category="Category B")

    def rows(**chosen: str) -> price_rows.PriceRowPage:
        filters = price_rows.PriceFilters(text=tag.upper(), **chosen)
        return price_rows.price_rows(actor=broker.principal, list_id=None, filters=filters)

    paged = price_rows.price_rows(
        actor=broker.principal, list_id=None, filters=price_rows.PriceFilters(text=tag), page_size=1
    )
    assert (paged.total, len(paged.rows)) == (2, 1)
    assert {"Category A", "Category B"} <= set(paged.categories) and "P1M" in paged.terms
    assert [row.item for row in rows(category="Category B").rows] == [second]
    assert [row.item for row in rows(term="P1Y", billing_cycle="monthly").rows] == [first]
    assert rows(product_group="No such group").total == 0
