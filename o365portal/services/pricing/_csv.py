"""Price lists as CSV (brokers only): export a list, import new sales prices all-or-nothing.

Export columns: ProductId, SkuId, AvailabilityId, Term, BillingCycle, Title, Currency, Cost,
SalesPrice, MarginPercent, EffectiveFrom (the prices in force on the chosen day), amounts in
the broker's number format without grouping (5,76 under de_DE). Import reads the five key
columns, SalesPrice (in the broker's number format; ambiguous text such as 1.234 under de_DE
is refused) and an optional EffectiveFrom (YYYY-MM-DD; else the day chosen on screen, or the
earliest day allowed when none was chosen); rows with an empty SalesPrice are skipped. A price
below Microsoft's cost needs `confirm_below_cost`. Every problem is reported with its line and
column, and nothing is stored unless every row is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from o365portal.db.engine import session_scope
from o365portal.db.tables.pricing import PriceList, PriceListEntry
from o365portal.services import clock
from o365portal.services.errors import InvalidInput
from o365portal.services.number_format import NumberFormat
from o365portal.services.pricing import _entries as price_entries
from o365portal.services.pricing import _lists as price_lists
from o365portal.services.pricing import _store as price_store
from o365portal.services.pricing._rows import PriceFilters, price_rows
from o365portal.services.pricing._store import CatalogItemRef
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
    below_cost: bool = False  # refused only because the price is below cost (confirmable)

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CsvRejected(InvalidInput):
    """The file was refused as a whole; `problems` lists every bad cell (nothing was applied)."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        self.below_cost = any(problem.below_cost for problem in problems)
        super().__init__({"file": f"{len(problems)} problem(s); nothing was imported."})
        self.args = (f"Nothing was imported: {len(problems)} problem(s) in the file.",)


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    stored: int
    skipped: int
    corrected: int = 0


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
        number_format = result.number_format

        def cell(amount: Decimal | None, number_format: NumberFormat = number_format) -> str:
            return "" if amount is None else number_format.format(amount, grouped=False)

        for row in result.rows:
            writer.writerow(
                [*row.item.__dict__.values(), row.title, row.currency, cell(row.cost),
                 cell(row.price), cell(row.margin_percent), row.since or ""]
            )  # fmt: skip
        if page * size >= result.total:
            return out.getvalue()
        page += 1


def _effective(cell: str, default: date | None) -> date | None:
    if not cell:
        return default
    try:
        return date.fromisoformat(cell[:10])
    except ValueError:
        raise ValueError("Enter the day as YYYY-MM-DD.") from None


@dataclass(frozen=True)
class _Import:
    price_list: PriceList
    default: date | None
    confirm_below_cost: bool
    number_format: NumberFormat


def _entry(
    session: Session, job: _Import, row: dict[str, str]
) -> tuple[PriceListEntry | None, list[tuple[str, str, bool]]]:
    product, sku, availability, term, cycle = (row.get(name, "") for name in KEY_COLUMNS)
    ref = CatalogItemRef(product, sku, availability, term.upper(), cycle.lower())
    problems: list[tuple[str, str, bool]] = []
    if price_lists.catalog_item(session, ref) is None:
        return None, [("ProductId", f"{ref.key} is not in the catalog.", False)]
    try:
        amount = price_lists.parse_price(row["SalesPrice"], job.number_format)
    except ValueError as error:
        problems.append(("SalesPrice", str(error), False))
    try:
        day = _effective(row.get("EffectiveFrom", ""), job.default)
    except ValueError as error:
        problems.append(("EffectiveFrom", str(error), False))
    if problems:
        return None, problems
    today, list_id = clock.today(), job.price_list.id or 0
    entry = PriceListEntry(
        **ref.__dict__, price_list_id=list_id, sales_price=amount,
        currency=job.price_list.currency,
        effective_from=price_store.start_of(
            day or price_entries.earliest_day(session, list_id, ref, today)
        ),
    )  # fmt: skip
    problem = price_entries.check_effective(session, entry, today)
    if problem:
        return None, [("EffectiveFrom", problem, False)]
    loss = price_entries.below_cost(session, entry, job.number_format)
    if loss and not job.confirm_below_cost:
        return None, [("SalesPrice", loss, True)]
    return entry, []


def _collect(
    session: Session, job: _Import, text: str
) -> tuple[list[PriceListEntry], int, list[CsvProblem]]:
    entries: dict[tuple[CatalogItemRef, date], PriceListEntry] = {}
    problems: list[CsvProblem] = []
    skipped = 0
    for line, row in read_rows(text, (*KEY_COLUMNS, "SalesPrice")):
        if not row.get("SalesPrice"):
            skipped += 1
            continue
        entry, found = _entry(session, job, row)
        problems += [CsvProblem(line, *problem) for problem in found]
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
    *,
    actor: Principal,
    list_id: int | None,
    text: str,
    default_effective: date | None,
    confirm_below_cost: bool = False,
) -> ImportResult:
    """Store every priced row of the file (new entries or corrections), or nothing (CsvRejected).

    `default_effective` None: each row without EffectiveFrom starts on the earliest day allowed.
    Rows priced below Microsoft's cost are refused unless `confirm_below_cost`.
    """
    price_lists.require_broker(actor)
    with session_scope() as session:
        price_list = price_lists.resolve_list(session, list_id)
        job = _Import(
            price_list, default_effective, confirm_below_cost, price_store.number_format(session)
        )
        entries, skipped, problems = _collect(session, job, text)
        if problems:
            raise CsvRejected(problems)
        corrected = 0
        for entry in entries:
            entry.entered_by_account_id = actor.account_id
            corrected += price_entries.store_entry(session, entry) is not None
    price_store.announce_prices()
    return ImportResult(len(entries), skipped, corrected)
