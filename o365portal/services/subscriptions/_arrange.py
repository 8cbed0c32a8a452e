"""Search, status filter and sort of the Subscriptions table, over rows already read.

The page keeps the organization's rows (a few hundred at most) on the server and asks for the
lines to show whenever the search, the filter, the sort or the rows themselves (the live feed)
change, so typing never reads the database again; the browser receives one page of lines
(`page_of_lines`), never more than it shows.

- **Search** finds the typed text, ignoring case, in the name, product, offer id or PO number.
- **Filter** keeps the rows of one status (its words, e.g. "Active"); "" keeps all.
- **Sort**: name (A to Z), seats (most first), renewal date (soonest first, none last) or
  status (A to Z); ties by name, then id.
- **Add-ons** stay right under their parent, sorted among themselves by the same key, when the
  parent is shown; an add-on whose parent is filtered out, or is on the page before, is shown
  on its own line (its row still names the parent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from o365portal.services.subscriptions._list import SubscriptionRow

SORTS = {
    "name": "Name",
    "quantity": "Seats (most first)",
    "renewal": "Renewal date (soonest first)",
    "status": "Status",
}


@dataclass(frozen=True)
class ShownLine:
    """One line of the table as shown: which row, and whether it sits under its parent."""

    index: int  # the row's place in the rows given
    nested: bool  # an add-on shown right under its parent


@dataclass(frozen=True)
class TableLine:
    """One line of a page of the table: the row, and whether it sits under its parent."""

    row: SubscriptionRow
    nested: bool


def _name(row: SubscriptionRow) -> tuple[str, int]:
    return row.friendly_name.casefold(), row.id


def _seats(row: SubscriptionRow) -> int:
    return int(row.quantity) if row.quantity.isdigit() else 0


_KEYS: dict[str, Callable[[SubscriptionRow], Any]] = {
    "name": _name,
    "quantity": lambda row: (-_seats(row), _name(row)),
    "renewal": lambda row: (row.date == "", row.date, _name(row)),
    "status": lambda row: (row.status.casefold(), _name(row)),
}


def _matches(row: SubscriptionRow, text: str, status: str) -> bool:
    if status and row.status != status:
        return False
    fields = (row.friendly_name, row.product, row.offer_id, row.po_number)
    return not text or any(text in field.casefold() for field in fields)


def arrange_rows(
    *, rows: Sequence[SubscriptionRow], search: str = "", status: str = "", sort: str = "name"
) -> list[ShownLine]:
    """The lines to show for the search, status filter and sort (an unknown sort: by name)."""
    text = search.strip().casefold()
    key = _KEYS.get(sort, _name)
    shown = [i for i, row in enumerate(rows) if _matches(row, text, status)]
    subscriptions = {rows[i].id for i in shown if rows[i].kind == "subscription"}
    under: dict[int, list[int]] = {}
    top: list[int] = []
    for i in shown:
        row = rows[i]
        if row.kind == "subscription" and row.parent_id in subscriptions:
            under.setdefault(row.parent_id, []).append(i)
        else:
            top.append(i)
    lines: list[ShownLine] = []
    for i in sorted(top, key=lambda i: key(rows[i])):
        lines.append(ShownLine(i, nested=False))
        if rows[i].kind == "subscription":
            children = sorted(under.get(rows[i].id, []), key=lambda c: key(rows[c]))
            lines.extend(ShownLine(c, nested=True) for c in children)
    return lines


def page_of_lines(
    rows: Sequence[SubscriptionRow], lines: Sequence[ShownLine], page: int, page_size: int
) -> list[TableLine]:
    """Page `page` (from 1) of `lines` (of `rows`), `page_size` lines a page; an add-on that
    opens a page is not nested (its parent is on the page before)."""
    start = (max(page, 1) - 1) * page_size
    return [
        TableLine(rows[line.index], nested=line.nested and n > 0)
        for n, line in enumerate(lines[start : start + page_size])
    ]


def status_choices(rows: Sequence[SubscriptionRow], chosen: str = "") -> list[str]:
    """The statuses to filter by: those of the rows, and the chosen one even if none has it."""
    return sorted({row.status for row in rows} | ({chosen} if chosen else set()))
