"""State of the billing report page: the range, the reports and what of them is open.

The reports (`services.billing.billing_report`, one per billing period of the range) stay in
a backend var; the browser gets the periods' headlines, the open period's page of
subscriptions and the open subscription's lines (billing_rows.py). A customer's reports are
the service's cost-free types and its vars have no cost field; brokers also get the cost rows,
the reconciliation ("Check with Microsoft", a background event: it awaits Partner Center) and,
broker-wide, the per-organization totals and the monthly totals chart. Export hands the browser
the file of the range shown (`services.billing.export_report`).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from o365portal.services import billing, organizations
from o365portal.services.principal import Principal
from o365portal.ui import routes
from o365portal.ui.billing import billing_rows as rows
from o365portal.ui.events import data_event
from o365portal.ui.session import SessionState

LAST_MONTH, CUSTOM = "last", "custom"


class BillingState(SessionState):
    """What the billing report page shows."""

    org_id: int = 0  # 0: the broker-wide report
    org_name: str = ""
    missing: bool = False
    range_kind: str = LAST_MONTH
    first_month: str = ""
    last_month: str = ""
    errors: dict[str, str] = {}
    periods: list[rows.PeriodRow] = []
    period_costs: list[rows.Costs] = []  # brokers only, one per period
    checks: list[rows.Check] = []  # brokers only, one per period
    check_error: str = ""
    check_at: int = -1  # the period last checked with Microsoft
    checking: bool = False
    chart: list[dict[str, Any]] = []  # broker-wide only
    open_period: int = -1
    organizations: list[rows.OrganizationRow] = []  # broker-wide, of the open period
    sub_page: int = 0
    subs: list[rows.SubscriptionRow] = []
    sub_costs: list[rows.Costs] = []  # brokers only, one per row of `subs`
    open_sub: int = -1
    lines: list[rows.LineRow] = []
    line_costs: list[rows.LineCosts] = []  # brokers only, one per line
    _reports: list[billing.BillingReport] = []

    @rx.var
    def broker_wide(self) -> bool:
        """The report of every organization (brokers' /billing)."""
        return self.org_id == 0

    @rx.var
    def service_url(self) -> str:
        """The organization's Microsoft 365 service screen."""
        return routes.m365_service_url(self.org_id)

    @rx.var
    def sub_pages(self) -> int:
        """How many pages of subscriptions the open period has."""
        if not 0 <= self.open_period < len(self.periods):
            return 0
        count = self.periods[self.open_period].subscriptions
        return -(-count // rows.SUBSCRIPTIONS_PER_PAGE)

    @rx.event
    def set_range_kind(self, kind: str | list[str]) -> rx.event.EventHandler | None:
        """ "Last month" (shown at once) or a custom range of months."""
        chosen = kind if isinstance(kind, str) else kind[0]
        self.range_kind = CUSTOM if chosen == CUSTOM else LAST_MONTH
        self.errors = {}
        return None if self.range_kind == CUSTOM else BillingState.show_range

    @rx.event
    def set_first_month(self, value: str) -> None:
        """The custom range's first month (YYYY-MM)."""
        self.first_month = value

    @rx.event
    def set_last_month(self, value: str) -> None:
        """The custom range's last month (YYYY-MM)."""
        self.last_month = value

    def _run(self, principal: Principal) -> None:
        first, last = self.first_month, self.last_month
        if self.range_kind == LAST_MONTH:
            first = last = billing.last_month()
        self.errors = {}
        reports = billing.billing_report(
            actor=principal,
            first_month=first,
            last_month=last,
            organization_id=self.org_id or None,
        )
        self.first_month, self.last_month = reports[0].month, reports[-1].month
        self._show(reports, principal.is_broker)

    def _show(self, reports: list[billing.BillingReport], broker: bool) -> None:
        self._reports, self.open_period, self.open_sub = reports, -1, -1
        self.subs, self.sub_costs, self.lines, self.line_costs = [], [], [], []
        self.periods = [rows.period_row(r) for r in reports]
        broker_reports = [r for r in reports if isinstance(r, billing.BrokerBillingReport)]
        self.period_costs = [rows.costs(r) for r in broker_reports] if broker else []
        self.checks = [rows.check(r) for r in broker_reports] if broker else []
        self.chart = rows.chart(reports) if broker and self.org_id == 0 else []
        self.check_error, self.check_at, self.organizations = "", -1, []

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> None:
        """on_load of an organization's report: last month's."""
        self._start(routes.organization_id(self))
        self.missing = self.org_id == 0
        if self.org_id:
            org = organizations.get_organization(actor=principal, organization_id=self.org_id)
            self.org_name = org.company_name
            self._run(principal)

    @data_event
    def load_all(self, principal: Principal) -> None:
        """on_load of the broker-wide report (brokers only): last month's."""
        self._start(0)
        if principal.is_broker:
            self._run(principal)

    def _start(self, org_id: int) -> None:
        self.org_id, self.org_name, self.missing = org_id, "", False
        self.range_kind, self.errors = LAST_MONTH, {}
        self._show([], False)

    @data_event
    def show_range(self, principal: Principal) -> None:
        """Show the chosen range's reports (a bad month is said next to its field)."""
        self._run(principal)

    @data_event
    def toggle_period(self, principal: Principal, index: int) -> None:
        """Open a report's subscriptions (first page), or close them."""
        opening = index != self.open_period and 0 <= index < len(self._reports)
        self.open_period, self.open_sub, self.lines, self.line_costs = -1, -1, [], []
        self.subs, self.sub_costs, self.organizations = [], [], []
        if opening:
            self.open_period, self.sub_page = index, 0
            self._page(principal)
            if self.org_id == 0:
                self.organizations = rows.organization_rows(self._reports[index])

    def _page(self, principal: Principal) -> None:
        report = self._reports[self.open_period]
        self.subs = rows.subscription_rows(report, self.sub_page, self.org_id == 0)
        shown = [report.subscriptions[s.index] for s in self.subs]
        self.sub_costs = (
            [rows.costs(s) for s in shown if isinstance(s, billing.CostColumns)]
            if principal.is_broker
            else []
        )

    @data_event
    def turn_page(self, principal: Principal, step: int) -> None:
        """The previous (-1) or next (+1) page of the open report's subscriptions."""
        if 0 <= self.open_period < len(self._reports):
            self.sub_page = max(0, min(self.sub_page + step, self.sub_pages - 1))
            self.open_sub, self.lines, self.line_costs = -1, [], []
            self._page(principal)

    @data_event
    def toggle_subscription(self, principal: Principal, index: int) -> None:
        """Open a subscription's lines in the open report, or close them."""
        opening = index != self.open_sub and 0 <= self.open_period < len(self._reports)
        self.open_sub, self.lines, self.line_costs = -1, [], []
        subscriptions = self._reports[self.open_period].subscriptions if opening else ()
        if 0 <= index < len(subscriptions):
            self.open_sub = index
            found = subscriptions[index].lines
            self.lines = [rows.line_row(line) for line in found]
            self.line_costs = (
                [rows.line_costs(line) for line in found] if principal.is_broker else []
            )

    @data_event(background=True, show_in="check_error")
    async def check(self, principal: Principal, index: int) -> None:
        """Check with Microsoft: the report's cost side against the reconciliation lines."""
        async with self:
            if not 0 <= index < len(self._reports):
                return
            report, self.check_at = self._reports[index], index
            self.checking, self.check_error = True, ""
        try:
            [checked] = await billing.reconcile(actor=principal, reports=[report])
        finally:
            async with self:
                self.checking = False
        async with self:
            if index < len(self._reports) and self._reports[index].month == checked.month:
                self._reports = [checked if i == index else r for i, r in enumerate(self._reports)]
                self.checks = [
                    rows.check(checked) if i == index else c for i, c in enumerate(self.checks)
                ]

    @data_event
    def export(self, principal: Principal, file_format: str) -> rx.event.EventSpec:
        """Download the range shown as CSV or XLSX (a customer's file has no cost)."""
        file = billing.export_report(
            actor=principal, reports=self._reports, file_format=file_format
        )
        return rx.download(data=file.content, filename=file.filename, mime_type=file.content_type)
