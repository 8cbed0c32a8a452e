"""Price lists as CSV (brokers only): export a list, import new sales prices all-or-nothing.

Export columns: ProductId, SkuId, AvailabilityId, Term, BillingCycle, Title, Currency, Cost,
SalesPrice, MarginPercent, EffectiveFrom (the prices in force on the chosen day). Import reads
the five key columns, SalesPrice and an optional EffectiveFrom (YYYY-MM-DD; the day chosen on
screen when empty); rows with an empty SalesPrice are skipped. Every problem is reported with
its line and column, and nothing is stored unless every row is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.tables.pricing import PriceList, PriceListEntry
from o365portal.services import clock, price_lists, price_store
from o365portal.services.errors import InvalidInput
from o365portal.services.price_rows import PriceFilters, price_rows
from o365portal.services.price_store import CatalogItemRef
from o365portal.services.principal import Principal

KEY_COLUMNS = ("ProductId", "SkuId", "AvailabilityId", "Term", "BillingCycle")
EXPORT_COLUMNS = (
    *KEY_COLUMNS, "Title", "Currency", "Cost", "SalesPrice", "MarginPercent", "EffectiveFrom",
)  # fmt: skip
MAX_ROWS = 20_000


@dataclass(frozen=True)
class CsvProblem:
    """One thing wrong in an uploaded file: where, and what to do about it."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CsvRejected(InvalidInput):
    """The file was refused as a whole; `problems` lists every bad cell (nothing was applied)."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        super().__init__({"file": f"{len(problems)} problem(s); nothing was imported."})
        self.args = (f"Nothing was imported: {len(problems)} problem(s) in the file.",)


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    stored: int
    skipped: int


def read_rows(text: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV text; raises CsvRejected when columns are missing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvRejected([CsvProblem(1, name, "This column is missing.") for name in missing])
    reader.fieldnames = header
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def export_csv(*, actor: Principal, list_id: int | None, on: date | None = None) -> str:
    """The whole list as CSV text, prices and costs in force on `on` (today)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    page, size = 1, 500
    while True:
        result = price_rows(
            actor=actor, list_id=list_id, filters=PriceFilters(), page=page, page_size=size, on=on
        )
        for row in result.rows:
            cells = row.as_row()
            margin = "" if row.margin_percent is None else str(row.margin_percent)
            writer.writerow(
                [*(cells[k] for k in ("product_id", "sku_id", "availability_id", "term")),
                 cells["billing_cycle"], row.title, row.currency, cells["cost"], cells["price"],
                 margin, cells["since"]]
            )  # fmt: skip
        if page * size >= result.total:
            return out.getvalue()
        page += 1


def _effective(cell: str, default: date) -> date:
    if not cell:
        return default
    try:
        return date.fromisoformat(cell[:10])
    except ValueError:
        raise ValueError("Enter the day as YYYY-MM-DD.") from None


def _entry(
    session: Session, price_list: PriceList, row: dict[str, str], default: date
) -> tuple[PriceListEntry | None, list[tuple[str, str]]]:
    product, sku, availability, term, cycle = (row.get(name, "") for name in KEY_COLUMNS)
    ref = CatalogItemRef(product, sku, availability, term.upper(), cycle.lower())
    problems: list[tuple[str, str]] = []
    if price_lists.catalog_item(session, ref) is None:
        return None, [("ProductId", f"{ref.text} is not in the catalog.")]
    try:
        amount = price_lists.parse_price(row["SalesPrice"])
    except ValueError as error:
        problems.append(("SalesPrice", str(error)))
    try:
        day = _effective(row.get("EffectiveFrom", ""), default)
    except ValueError as error:
        problems.append(("EffectiveFrom", str(error)))
    if problems:
        return None, problems
    entry = PriceListEntry(
        **ref.__dict__, price_list_id=price_list.id or 0, sales_price=amount,
        currency=price_list.currency, effective_from=price_store.start_of(day),
    )  # fmt: skip
    problem = price_lists.check_effective(session, entry, clock.today())
    return (None, [("EffectiveFrom", problem)]) if problem else (entry, [])


def _collect(
    session: Session, price_list: PriceList, text: str, default: date
) -> tuple[list[PriceListEntry], int, list[CsvProblem]]:
    entries: dict[tuple[CatalogItemRef, date], PriceListEntry] = {}
    problems: list[CsvProblem] = []
    skipped = 0
    for line, row in read_rows(text, (*KEY_COLUMNS, "SalesPrice")):
        if not row.get("SalesPrice"):
            skipped += 1
            continue
        entry, found = _entry(session, price_list, row, default)
        problems += [CsvProblem(line, column, message) for column, message in found]
        if entry is not None:
            key = (CatalogItemRef.of(entry), entry.effective_from.date())
            if key in entries:
                problems.append(CsvProblem(line, "", "This item and day appear twice."))
            entries[key] = entry
        if line > MAX_ROWS:
            problems.append(CsvProblem(line, "", f"Import at most {MAX_ROWS} rows at a time."))
            break
    return list(entries.values()), skipped, problems


def import_csv(
    *, actor: Principal, list_id: int | None, text: str, default_effective: date
) -> ImportResult:
    """Store every priced row of the file as a new entry, or nothing (CsvRejected)."""
    price_lists.require_broker(actor)
    with session_scope() as session:
        price_list = price_lists.resolve_list(session, list_id)
        entries, skipped, problems = _collect(session, price_list, text, default_effective)
        if problems:
            raise CsvRejected(problems)
        for entry in entries:
            entry.entered_by_account_id = actor.account_id
            price_lists.store_entry(session, entry)
        return ImportResult(len(entries), skipped)
