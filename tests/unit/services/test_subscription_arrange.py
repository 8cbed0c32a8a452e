"""The Subscriptions table's search, status filter and sort over rows already read: what a
broker or customer sees while typing, with add-ons kept under their parent."""

from __future__ import annotations

from dataclasses import replace

from o365portal.services.subscriptions import (
    SORTS,
    SubscriptionRow,
    arrange_rows,
    page_of_lines,
    status_choices,
)

_BLANK = SubscriptionRow(
    id=0, kind="subscription", friendly_name="", product="", offer_id="", po_number="",
    quantity="1", seats="1 seat", consumed="—", free="—", usage="", status="Active",
    term="1 year", billing_cycle="Monthly", date="", when="", auto_renew=True,
    auto_renew_words="Auto-renew on", renews_with_changes=False, renewal_changes="", price="",
    price_per_seat="", price_per_cycle="", parent_id=0, parent_name="", last_error="",
)  # fmt: skip


def _row(row_id: int, name: str, **fields: object) -> SubscriptionRow:
    return replace(_BLANK, id=row_id, friendly_name=name, **fields)  # type: ignore[arg-type]


ROWS = [
    _row(1, "sales", product="Microsoft 365 Business Basic", quantity="10",
         offer_id="CFQ7TTC0LH18:0001:CFQ7TTC0K971", po_number="PO-17", date="2027-03-01"),
    _row(2, "Audio for sales", product="Microsoft 365 Audio Conferencing", quantity="2",
         offer_id="CFQ7TTC0LHSL:0001:CFQ7TTC0X8GP", date="2027-01-15", parent_id=1,
         parent_name="sales"),
    _row(3, "Back office", product="Microsoft 365 Business Standard", quantity="4",
         offer_id="CFQ7TTC0LDPB:0001:CFQ7TTC0F9TL", status="Suspended", date="2026-12-31"),
    _row(4, "Copilot for sales", product="Microsoft 365 Copilot", quantity="1",
         offer_id="CFQ7TTC0MM8R:0002:CFQ7TTC015JM", date="2026-12-01", parent_id=1,
         parent_name="sales"),
    _row(1, "New desk", kind="scheduled", quantity="3", status="Scheduled", date="2026-12-24",
         offer_id="CFQ7TTC0LH18:0001:CFQ7TTC0K971"),
]  # fmt: skip


def _shown(**choices: str) -> list[tuple[str, bool]]:
    return [
        (ROWS[line.index].friendly_name, line.nested) for line in arrange_rows(rows=ROWS, **choices)
    ]


def test_by_name_ignoring_case_with_each_add_on_right_under_its_parent() -> None:
    assert _shown() == [
        ("Back office", False), ("New desk", False), ("sales", False),
        ("Audio for sales", True), ("Copilot for sales", True),
    ]  # fmt: skip


def test_search_finds_name_product_offer_id_and_po_number_ignoring_case() -> None:
    assert _shown(search="  back ") == [("Back office", False)]
    assert _shown(search="business standard") == [("Back office", False)]
    assert _shown(search="cfq7ttc0lh18") == [("New desk", False), ("sales", False)]
    assert _shown(search="po-17") == [("sales", False)]
    assert _shown(search="nothing like it") == []


def test_an_add_on_whose_parent_is_not_shown_stands_on_its_own() -> None:
    assert _shown(search="copilot") == [("Copilot for sales", False)]
    assert _shown(search="sales") == [
        ("sales", False), ("Audio for sales", True), ("Copilot for sales", True),
    ]  # fmt: skip


def test_the_status_filter_keeps_one_status() -> None:
    assert _shown(status="Suspended") == [("Back office", False)]
    assert _shown(status="Scheduled", search="desk") == [("New desk", False)]
    assert _shown(status="Expired") == []


def test_sorts_by_seats_renewal_date_and_status_keeping_add_ons_under_their_parent() -> None:
    assert _shown(sort="quantity") == [
        ("sales", False), ("Audio for sales", True), ("Copilot for sales", True),
        ("Back office", False), ("New desk", False),
    ]  # fmt: skip
    assert _shown(sort="renewal") == [
        ("New desk", False), ("Back office", False), ("sales", False),
        ("Copilot for sales", True), ("Audio for sales", True),
    ]  # fmt: skip
    assert _shown(sort="status") == [
        ("sales", False), ("Audio for sales", True), ("Copilot for sales", True),
        ("New desk", False), ("Back office", False),
    ]  # fmt: skip
    assert _shown(sort="no such sort") == _shown(sort="name")
    assert set(SORTS) == {"name", "quantity", "renewal", "status"}


def test_rows_without_a_date_sort_last_by_renewal() -> None:
    rows = [_row(1, "b", date=""), _row(2, "a", date="2027-01-01"), _row(3, "c", date="")]
    names = [rows[line.index].friendly_name for line in arrange_rows(rows=rows, sort="renewal")]
    assert names == ["a", "b", "c"]


def test_the_filter_offers_the_statuses_present_and_the_one_chosen() -> None:
    assert status_choices(ROWS) == ["Active", "Scheduled", "Suspended"]
    assert status_choices(ROWS, "Expired") == ["Active", "Expired", "Scheduled", "Suspended"]


def _page(page: int, page_size: int) -> list[tuple[str, bool]]:
    lines = page_of_lines(ROWS, arrange_rows(rows=ROWS), page, page_size)
    return [(line.row.friendly_name, line.nested) for line in lines]


def test_a_page_holds_its_lines_with_their_rows_in_the_order_shown() -> None:
    assert _page(1, 2) == [("Back office", False), ("New desk", False)]
    assert _page(3, 2) == [("Copilot for sales", False)]
    assert _page(4, 2) == []
    assert _page(1, 25) == _shown()


def test_an_add_on_opening_a_page_stands_alone_as_its_parent_is_on_the_page_before() -> None:
    assert _page(2, 3) == [("Audio for sales", False), ("Copilot for sales", True)]
    assert _page(0, 3) == _page(1, 3)  # a page below 1 is the first
