"""State of an organization's subscription list: rows, scheduled lines, requests, history.

Rows come from `services.subscriptions.list_subscriptions` as typed views with every word
written; a customer's never carry cost or margin. Every row is held on the server (`_rows`, a
backend var); search, status filter, sort and paging arrange them there
(`subscriptions.arrange_rows`, `page_of_lines`): typing and paging read no database, and the
browser gets only the page of lines it shows (`lines`). Suspend (a scheduled line)
and Cancel request ask first in one confirmation dialog; confirming calls one service and
reloads the list. The lists follow the live feed (ui/live.py): an order provisioned by the
job, a request decided by the broker, anything changed anywhere shows without a reload
(`refresh`), arranged by the search, filter and sort in force.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import ordering, organizations, subscriptions
from o365portal.services.principal import Principal
from o365portal.ui import routes
from o365portal.ui.events import data_event
from o365portal.ui.paging import PagedList
from o365portal.ui.session import SessionState


class SubscriptionsState(PagedList, SessionState):
    """What the Subscriptions page shows."""

    page_size: int = 25
    org_id: int = 0
    org_name: str = ""
    missing: bool = False
    _rows: list[subscriptions.SubscriptionRow] = []  # every row, on the server only
    has_rows: bool = False
    lines: list[subscriptions.TableLine] = []  # the page shown
    statuses: list[str] = []  # what the status filter offers
    search: str = ""
    status_filter: str = ""  # a row's status words ("Active"); "" = every status
    sort: str = "name"  # a key of subscriptions.SORTS
    requests: list[ordering.RequestView] = []  # a broker's: BrokerRequestView (cost, margin)
    history_open: bool = False
    history_title: str = ""
    history: list[subscriptions.HistoryLine] = []
    confirm_open: bool = False
    confirm_kind: str = ""  # "suspend" | "cancel"
    confirm_id: int = 0  # the scheduled order's or the request's
    confirm_title: str = ""
    confirm_text: str = ""
    keep_label: str = ""
    act_label: str = ""

    @rx.var
    def add_url(self) -> str:
        """The add-subscription form of this organization."""
        return routes.add_subscription_url(self.org_id)

    def _empty_summary(self) -> str:
        return "No subscription matches."

    def _arrange(self, *, first_page: bool = False) -> None:
        """Show the lines of the search, filter and sort in force: the first page of them, or
        the page shown (the last one if it no longer exists)."""
        shown = subscriptions.arrange_rows(
            rows=self._rows, search=self.search, status=self.status_filter, sort=self.sort
        )
        self.total = len(shown)
        last = max(1, -(-self.total // self.page_size))
        self.page = 1 if first_page else min(max(self.page, 1), last)
        self.lines = subscriptions.page_of_lines(self._rows, shown, self.page, self.page_size)
        self.statuses = subscriptions.status_choices(self._rows, self.status_filter)
        self.has_rows = bool(self._rows)

    def _reload(self, principal: Principal) -> None:
        """Previous/next page (PagedList): the rows held here, no database read."""
        self._arrange()

    @rx.event
    def set_search(self, text: str) -> None:
        """Search name, product, offer id and PO number (the input is debounced)."""
        self.search = text
        self._arrange(first_page=True)

    @rx.event
    def set_status_filter(self, status: str) -> None:
        """Show one status only ("" = all)."""
        self.status_filter = status
        self._arrange(first_page=True)

    @rx.event
    def set_sort(self, sort: str) -> None:
        """Sort by name, seats, renewal date or status."""
        self.sort = sort if sort in subscriptions.SORTS else "name"
        self._arrange(first_page=True)

    @rx.event
    def clear_search(self) -> None:
        """Show every row again."""
        self.search, self.status_filter = "", ""
        self._arrange(first_page=True)

    def _read(self, principal: Principal) -> None:
        self._rows, self.lines, self.requests = [], [], []
        org = organizations.get_organization(actor=principal, organization_id=self.org_id)
        listed = subscriptions.list_subscriptions(actor=principal, organization_id=self.org_id)
        self.org_name = org.company_name
        self._show(listed)

    def _show(self, listed: subscriptions.SubscriptionList) -> None:
        self._rows = listed.scheduled + listed.subscriptions
        self.requests = listed.requests
        self._arrange()

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> None:
        """on_load: the organization named in the URL, if the actor may see it."""
        self.missing, self.history_open, self.lines, self.requests = False, False, [], []
        self.confirm_open = False
        org_id = routes.organization_id(self)
        if org_id != self.org_id:  # another organization; a reconnect keeps the search and page
            self.search, self.status_filter, self.sort, self.page = "", "", "name", 1
        self.org_id = org_id
        self._read(principal)

    @data_event(quiet=True)
    def refresh(self, principal: Principal) -> None:
        """The live feed moved: read the lists again (open dialogs stay as they are)."""
        if self.org_id and not self.missing:
            self._show(
                subscriptions.list_subscriptions(actor=principal, organization_id=self.org_id)
            )

    def _ask(self, kind: str, row_id: int, title: str, text: str, labels: tuple[str, str]) -> None:
        self.confirm_kind, self.confirm_id, self.confirm_title = kind, row_id, title
        self.confirm_text, (self.keep_label, self.act_label) = text, labels
        self.confirm_open = True

    @data_event
    def ask_suspend(self, principal: Principal, scheduled_id: int) -> None:
        """Actions -> Suspend on a scheduled line: ask before the order is cancelled."""
        scheduled = [r for r in self._rows if r.kind == "scheduled" and r.id == scheduled_id]
        if not scheduled:
            self._read(principal)
            return
        row = scheduled[0]
        text = (
            f"{row.friendly_name}: {row.seats}, going live {row.date}. "
            "Suspending cancels this order; nothing is bought."
        )
        labels = ("Keep the order", "Suspend order")
        self._ask("suspend", scheduled_id, "Suspend this scheduled order?", text, labels)

    @data_event
    def ask_cancel(self, principal: Principal, request_id: int) -> None:
        """Cancel request: ask before the request is withdrawn."""
        asked = [r for r in self.requests if r.id == request_id]
        if not asked:
            self._read(principal)
            return
        text = f"{asked[0].summary}. Your broker is told that you withdrew it."
        labels = ("Keep the request", "Cancel request")
        self._ask("cancel", request_id, "Cancel this request?", text, labels)

    @rx.event
    def set_confirm_open(self, value: bool) -> None:
        """Close the confirmation (Keep, Escape)."""
        self.confirm_open = value

    @data_event
    def confirm(self, principal: Principal) -> rx.event.EventSpec:
        """Do what the confirmation asked: suspend the scheduled order or cancel the request."""
        self.confirm_open = False
        if self.confirm_kind == "suspend":
            ordering.cancel_scheduled_order(actor=principal, scheduled_order_id=self.confirm_id)
            done = "The scheduled order was cancelled."
        else:
            ordering.cancel(actor=principal, request_id=self.confirm_id)
            done = "Your request was cancelled."
        self._read(principal)
        return rx.toast.success(done)

    @data_event
    def open_history(self, principal: Principal, subscription_id: int, name: str) -> None:
        """Show one subscription's history."""
        self.history = subscriptions.subscription_history(
            actor=principal, subscription_id=subscription_id
        )
        self.history_title, self.history_open = f"History of {name}", True

    @rx.event
    def set_history_open(self, value: bool) -> None:
        """Close the history dialog."""
        self.history_open = value
