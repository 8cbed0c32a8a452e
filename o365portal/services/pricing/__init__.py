"""The catalog cache, Microsoft cost, price lists and the sales-price quote."""

from __future__ import annotations

from o365portal.services.pricing._catalog import refresh_catalog, refresh_catalog_at_startup
from o365portal.services.pricing._csv import CsvRejected, export_csv, import_csv
from o365portal.services.pricing._editor import PriceEditorPage, PriceRowView, price_editor_page
from o365portal.services.pricing._lists import (
    BelowCost,
    PriceListSummary,
    PriceListUser,
    assign_price_list,
    create_price_list,
    get_price_list,
    list_price_lists,
    set_price,
)
from o365portal.services.pricing._quote import PriceQuoteView
from o365portal.services.pricing._rows import PriceFilters
from o365portal.services.pricing._sheet import import_price_sheet
from o365portal.services.pricing._store import CatalogItemRef

__all__ = [
    "BelowCost",
    "CatalogItemRef",
    "CsvRejected",
    "PriceEditorPage",
    "PriceFilters",
    "PriceListSummary",
    "PriceListUser",
    "PriceQuoteView",
    "PriceRowView",
    "assign_price_list",
    "create_price_list",
    "export_csv",
    "get_price_list",
    "import_csv",
    "import_price_sheet",
    "list_price_lists",
    "price_editor_page",
    "refresh_catalog",
    "refresh_catalog_at_startup",
    "set_price",
]
