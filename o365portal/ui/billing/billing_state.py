"""State of the billing report page: the range, its periods and what of them is open.

The page reads the report a level at a time (`services.billing`): the periods' headlines
(`report_periods`, in a background event: the first report after many changes rates them),
the open period's page of subscriptions (`period_page`) and the open subscription's lines
(`subscription_lines`), so the state holds what is shown and no more. A customer's are the
service's cost-free types and its vars have no cost field; brokers also get the cost columns,
the reconciliation ("Check with Microsoft", a background event: it reads the period whole and
awaits Partner Center) and, broker-wide, the per-organization totals and the monthly totals
chart. Export hands the browser the file of the range shown (`services.billing.export_report`
of the whole report).
"""

from __future__ import annotations

import asyncio

import reflex as rx

from o365portal.services import billing, organizations
from o365portal.services.principal import Principal
from o365portal.ui import routes
from o365portal.ui.billing import billing_views as views
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
    loading: bool = False
    periods: list[billing.BillingReport] = []  # headlines only
    counts: list[int] = []  # subscriptions per period
    period_costs: list[billing.CostColumns] = []  # brokers only, one per period
    checks: list[billing.Reconciliation] = []  # brokers only, one per period
    check_error: str = ""
    check_at: int = -1  # the period last checked with Microsoft
    checking: bool = False
    chart: list[billing.MonthlyTotal] = []  # broker-wide only
    open_period: int = -1
    organizations: list[billing.BrokerOrganizationTotal] = []  # broker-wide, of the open period
    sub_page: int = 0
    sub_pages: int = 0
    subs: list[billing.SubscriptionBilling] = []  # the open period's page, without lines
    sub_costs: list[billing.CostColumns] = []  # brokers only, one per row of `subs`
    open_sub: int = -1  # in `subs`
    lines: list[billing.LineView] = []
    line_costs: list[billing.BrokerLineView] = []  # brokers only, the same lines with cost

    @rx.var
    def service_url(self) -> str:
        """The organization's Microsoft 365 service screen."""
        return routes.m365_service_url(self.org_id)

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

    def _show(self, summaries: list[billing.PeriodSummary], broker: bool) -> None:
        reports = [summary.report for summary in summaries]
        self.open_period, self.open_sub = -1, -1
        self.subs, self.sub_costs, self.lines, self.line_costs = [], [], [], []
        self.periods, self.counts = reports, [summary.subscriptions for summary in summaries]
        costed = [r for r in reports if isinstance(r, billing.BrokerBillingReport)]
        self.period_costs = [views.cost_columns(r) for r in costed] if broker else []
        self.checks = [views.NOT_CHECKED for _ in costed] if broker else []
        self.chart = billing.monthly_totals(reports) if broker and self.org_id == 0 else []
        self.check_error, self.check_at, self.organizations = "", -1, []

    @data_event(show_in="missing")
    def load(self, principal: Principal) -> rx.event.EventHandler | None:
        """on_load of an organization's report: last month's (`show_range`)."""
        self._start(routes.organization_id(self))
        self.missing = self.org_id == 0
        if self.missing:
            return None
        org = organizations.get_organization(actor=principal, organization_id=self.org_id)
        self.org_name = org.company_name
        return BillingState.show_range

    @data_event
    def load_all(self, principal: Principal) -> rx.event.EventHandler | None:
        """on_load of the broker-wide report (brokers only): last month's (`show_range`)."""
        self._start(0)
        return BillingState.show_range if principal.is_broker else None

    def _start(self, org_id: int) -> None:
        self.org_id, self.org_name, self.missing = org_id, "", False
        self.range_kind, self.errors = LAST_MONTH, {}
        self._show([], False)

    @data_event(background=True)
    async def show_range(self, principal: Principal) -> None:
        """Show the chosen range's reports (a bad month is said next to its field); the
        report is read off the tab's lock, as a broker-wide year may take seconds."""
        async with self:
            if self.missing or not (self.org_id or principal.is_broker):
                return
            org_id, self.loading, self.errors = self.org_id, True, {}
            months = (self.first_month, self.last_month) if self.range_kind == CUSTOM else None
        try:
            summaries = await asyncio.to_thread(_summaries, principal, org_id, months)
        finally:
            async with self:
                self.loading = False
        async with self:
            if self.org_id == org_id:
                self.first_month = summaries[0].report.month
                self.last_month = summaries[-1].report.month
                self._show(summaries, principal.is_broker)

    @data_event
    def toggle_period(self, principal: Principal, index: int) -> None:
        """Open a report's subscriptions (first page), or close them."""
        opening = index != self.open_period and 0 <= index < len(self.periods)
        self.open_period, self.open_sub, self.lines, self.line_costs = -1, -1, [], []
        self.subs, self.sub_costs, self.organizations = [], [], []
        if opening:
            self.open_period = index
            self._page(principal, 0)

    def _page(self, principal: Principal, page: int) -> None:
        found = billing.period_page(
            actor=principal,
            month=self.periods[self.open_period].month,
            organization_id=self.org_id or None,
            page=page,
        )
        self.sub_page, self.sub_pages = found.page, found.pages
        self.subs = list(found.subscriptions)  # without their lines
        costed = [s for s in self.subs if isinstance(s, billing.BrokerSubscriptionBilling)]
        self.sub_costs = [views.cost_columns(s) for s in costed] if principal.is_broker else []
        self.organizations = views.organization_totals(found.organizations)

    @data_event
    def turn_page(self, principal: Principal, step: int) -> None:
        """The previous (-1) or next (+1) page of the open report's subscriptions."""
        if 0 <= self.open_period < len(self.periods):
            self.open_sub, self.lines, self.line_costs = -1, [], []
            self._page(principal, max(0, min(self.sub_page + step, self.sub_pages - 1)))

    @data_event
    def toggle_subscription(self, principal: Principal, index: int) -> None:
        """Open the lines of the subscription at `index` of the page shown, or close them."""
        opening = index != self.open_sub and 0 <= index < len(self.subs)
        self.open_sub, self.lines, self.line_costs = -1, [], []
        if opening:
            found = list(
                billing.subscription_lines(
                    actor=principal,
                    month=self.periods[self.open_period].month,
                    subscription_id=self.subs[index].subscription_id,
                    organization_id=self.org_id or None,
                )
            )
            self.open_sub, self.lines = index, found
            costed = [line for line in found if isinstance(line, billing.BrokerLineView)]
            self.line_costs = costed if principal.is_broker else []

    @data_event(background=True, show_in="check_error")
    async def check(self, principal: Principal, index: int) -> None:
        """Check with Microsoft: the period's cost side against the reconciliation lines."""
        async with self:
            if not 0 <= index < len(self.periods):
                return
            month, org_id, self.check_at = self.periods[index].month, self.org_id, index
            self.checking, self.check_error = True, ""
        try:
            [report] = await asyncio.to_thread(_whole, principal, org_id, (month, month))
            [checked] = await billing.reconcile(actor=principal, reports=[report])
        finally:
            async with self:
                self.checking = False
        async with self:
            if index < len(self.periods) and self.periods[index].month == checked.month:
                self.checks = [
                    views.check(checked) if i == index else c for i, c in enumerate(self.checks)
                ]

    @data_event
    def export(self, principal: Principal, file_format: str) -> rx.event.EventSpec | None:
        """Download the range shown as CSV or XLSX (a customer's file has no cost)."""
        if not self.periods:
            return None
        months = (self.periods[0].month, self.periods[-1].month)
        file = billing.export_report(
            actor=principal,
            reports=_whole(principal, self.org_id, months),
            file_format=file_format,
        )
        return rx.download(data=file.content, filename=file.filename, mime_type=file.content_type)


def _range(months: tuple[str, str] | None) -> dict[str, str]:
    first, last = months or (billing.last_month(),) * 2
    return {"first_month": first, "last_month": last}


def _summaries(
    principal: Principal, org_id: int, months: tuple[str, str] | None
) -> list[billing.PeriodSummary]:
    """The headlines of `months` (first, last), or of last month (None)."""
    return billing.report_periods(actor=principal, organization_id=org_id or None, **_range(months))


def _whole(
    principal: Principal, org_id: int, months: tuple[str, str]
) -> list[billing.BillingReport]:
    """The whole reports of `months` (first, last), every line rated and explained."""
    return billing.billing_report(actor=principal, organization_id=org_id or None, **_range(months))
