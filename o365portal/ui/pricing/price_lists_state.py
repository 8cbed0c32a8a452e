"""State of one price list's editor (brokers only): the filtered page of items and new prices.

The list comes from the URL (`/price-lists/global` or `/price-lists/<id>`). Every handler asks
the pricing services, which refuse anyone but broker staff, so a customer's state never
receives a cost or a margin.
"""

from __future__ import annotations

from datetime import date

import reflex as rx

from o365portal.services import clock, pricing
from o365portal.services.errors import InvalidInput, NotFound
from o365portal.services.pricing import CatalogItemRef
from o365portal.services.principal import Principal
from o365portal.ui import routes
from o365portal.ui.events import data_event
from o365portal.ui.paging import PagedList
from o365portal.ui.session import SessionState

FILTERS = ("category", "product_group", "term", "billing_cycle")


class PriceListState(PagedList, SessionState):
    """The list shown, its filtered page of items, and the effective day for new prices."""

    page_size: int = 25
    list_key: str = ""
    list_name: str = ""
    currency: str = ""
    is_customer_list: bool = False
    missing: bool = False
    rows: list[pricing.PriceRowView] = []
    filters: dict[str, str] = {}
    text: str = ""
    options: dict[str, list[str]] = {}
    effective_from: str = ""
    effective_chosen: bool = False
    today: str = ""
    row_errors: dict[str, str] = {}
    refreshing: bool = False
    below_cost: dict[str, str] = {}  # the price waiting for confirmation: key, price, message

    def _empty_summary(self) -> str:
        if self.text or any(self.filters.values()):
            return "No catalog items match."
        return "The catalog is empty: refresh it from Partner Center."

    def _list_id(self) -> int | None:
        return None if self.list_key == "global" else int(self.list_key or 0)

    def _reload(self, principal: Principal) -> None:
        self.rows, self.total = [], 0
        chosen = pricing.PriceFilters(
            **{k: self.filters.get(k, "") for k in FILTERS}, text=self.text
        )
        result = pricing.price_editor_page(
            actor=principal, list_id=self._list_id(), filters=chosen, page=self.page,
            page_size=self.page_size,
        )  # fmt: skip
        self.rows, self.total = result.rows, result.total
        self.options = {
            "category": result.categories, "product_group": result.product_groups,
            "term": result.terms, "billing_cycle": result.billing_cycles,
        }  # fmt: skip

    @data_event
    def load(self, principal: Principal) -> None:
        """on_load: the list named in the URL and the first page of its items."""
        self.rows, self.total, self.page, self.missing = [], 0, 1, False
        self.today = self.effective_from = clock.today().isoformat()
        self.row_errors, self.effective_chosen, self.below_cost = {}, False, {}
        self.filters, self.text = dict.fromkeys(FILTERS, ""), ""
        if not principal.is_broker:  # the guard redirects; this handler runs anyway
            self.missing = True
            return
        self.list_key = routes.price_list_key(self)
        try:
            summary = pricing.get_price_list(actor=principal, list_id=self._list_id())
        except NotFound:
            self.missing = True
            return
        self.list_name, self.currency = summary.name, summary.currency
        self.is_customer_list = summary.kind == "customer"
        self._reload(principal)

    @data_event
    def reload(self, principal: Principal) -> None:
        """Read the current page again (after an import or an assignment)."""
        self._reload(principal)

    @data_event
    def set_filter(self, principal: Principal, name: str, value: str) -> None:
        """Narrow by category, product group, term or billing cycle ("" = any)."""
        self.filters = self.filters | {name: value}
        self.page = 1
        self._reload(principal)

    @data_event
    def search(self, principal: Principal, text: str) -> None:
        """Free-text search in title, product id and SKU id."""
        self.text, self.page = text, 1
        self._reload(principal)

    @rx.event
    def set_effective_from(self, value: str) -> None:
        """The day new prices (typed or imported) take effect, as the broker chose it."""
        self.effective_from, self.effective_chosen = value, True

    def _effective(self) -> date | None:
        try:
            return date.fromisoformat(self.effective_from)
        except ValueError:
            return None

    def _store(
        self, principal: Principal, key: str, price: str, confirmed: bool
    ) -> rx.event.EventSpec | None:
        self.row_errors = {k: v for k, v in self.row_errors.items() if k != key}
        item = CatalogItemRef.parse(key)  # the row's hidden input holds its key
        effective = self._effective()
        if item is None:
            return None
        if self.effective_chosen and effective is None:
            self.row_errors = self.row_errors | {key: "Choose the day the price starts."}
            return None
        try:
            saved = pricing.set_price(
                actor=principal, list_id=self._list_id(), item=item,
                price=price, effective=effective if self.effective_chosen else None,
                confirm_below_cost=confirmed,
            )  # fmt: skip
        except pricing.BelowCost as loss:
            self.below_cost = {"key": key, "price": price, "message": loss.field_errors["price"]}
            return None
        except InvalidInput as invalid:  # the message goes to the row of the price typed
            self.row_errors = self.row_errors | {key: " ".join(invalid.field_errors.values())}
            return None
        self._reload(principal)
        return rx.toast.success(saved.message)

    @data_event
    def save_price(self, principal: Principal, form: dict[str, str]) -> rx.event.EventSpec | None:
        """Store the typed price from the chosen day (untouched: the earliest day allowed); a
        message at the row if it is refused, a confirmation first if it is below cost."""
        return self._store(principal, str(form.get("key", "")), str(form.get("price", "")), False)

    @data_event
    def confirm_below_cost(self, principal: Principal) -> rx.event.EventSpec | None:
        """The broker confirmed the price below cost: store it."""
        waiting, self.below_cost = self.below_cost, {}
        return self._store(principal, waiting.get("key", ""), waiting.get("price", ""), True)

    @rx.event
    def cancel_below_cost(self, _open: bool = False) -> None:
        """Keep the price unsaved (the typed value stays in the row)."""
        self.below_cost = {}

    @data_event
    def export_csv(self, principal: Principal) -> rx.event.EventSpec:
        """Download the whole list (prices in force today) as CSV."""
        text = pricing.export_csv(actor=principal, list_id=self._list_id())
        name = f"price-list-{self.list_key}-{clock.today().isoformat()}.csv"
        return rx.download(data=text, filename=name, mime_type="text/csv")

    @data_event(background=True)
    async def refresh_catalog(self, principal: Principal) -> rx.event.EventSpec | None:
        """Re-read the catalog from Partner Center without blocking the tab."""
        async with self:
            if self.refreshing:
                return None
            self.refreshing = True
        try:
            result = await pricing.refresh_catalog(actor=principal)
        finally:
            async with self:
                self.refreshing = False
        return [
            PriceListState.reload,
            rx.toast.success(f"Catalog refreshed: {result.items} items."),
        ]
