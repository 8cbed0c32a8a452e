"""The billing report: per billing period of the broker's Microsoft billing cycle, by
subscription and line, priced and prorated as Microsoft prorates, explained line by line,
reconciled with Microsoft's reconciliation line items, exported as CSV or XLSX (docs/billing.md).

The page reads it a level at a time over kept ratings (`report_periods`, `period_page`,
`subscription_lines`); the export, the command and the reconciliation read it whole
(`billing_report`)."""

from __future__ import annotations

from o365portal.services.billing._export import (
    FORMATS,
    ExportFile,
    export_report,
    report_json,
)
from o365portal.services.billing._last_month import last_month
from o365portal.services.billing._levels import (
    SUBSCRIPTIONS_PER_PAGE,
    PeriodPage,
    PeriodSummary,
    period_page,
    report_periods,
    subscription_lines,
)
from o365portal.services.billing._reconcile import MATCHES, reconcile
from o365portal.services.billing._report import (
    billing_report,
    monthly_totals,
    parse_month,
    tenant_organization,
)
from o365portal.services.billing._views import (
    BillingReport,
    BrokerBillingReport,
    BrokerLineView,
    BrokerOrganizationTotal,
    BrokerSubscriptionBilling,
    CostColumns,
    Difference,
    LineView,
    MonthlyTotal,
    OrganizationTotal,
    Reconciliation,
    SubscriptionBilling,
)

__all__ = [
    "FORMATS",
    "MATCHES",
    "SUBSCRIPTIONS_PER_PAGE",
    "BillingReport",
    "BrokerBillingReport",
    "BrokerLineView",
    "BrokerOrganizationTotal",
    "BrokerSubscriptionBilling",
    "CostColumns",
    "Difference",
    "ExportFile",
    "LineView",
    "MonthlyTotal",
    "OrganizationTotal",
    "PeriodPage",
    "PeriodSummary",
    "Reconciliation",
    "SubscriptionBilling",
    "billing_report",
    "export_report",
    "last_month",
    "monthly_totals",
    "parse_month",
    "period_page",
    "reconcile",
    "report_json",
    "report_periods",
    "subscription_lines",
    "tenant_organization",
]
