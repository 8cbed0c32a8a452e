"""The part of the service's reports the billing page puts in its state: each level without the
level below it, so the browser gets only what is open.

A report keeps its headline (no subscriptions, no organization totals), a subscription its
facts (no lines). A customer's are the service's cost-free types; a broker's cost columns are
held apart (`cost_columns`), so components typed for the customer's view never read a cost.
"""

from __future__ import annotations

from dataclasses import replace

from o365portal.services import billing

SUBSCRIPTIONS_PER_PAGE = 50
NOT_CHECKED = billing.Reconciliation(
    matches=False, status="", sources=(), differences=(), lines_checked=0
)


def headline(report: billing.BillingReport) -> billing.BillingReport:
    """The report without its subscriptions and organization totals."""
    return replace(report, subscriptions=(), organizations=())


def cost_columns(view: billing.CostColumns) -> billing.CostColumns:
    """Only the cost columns of a broker's report, subscription or total."""
    return billing.CostColumns(
        view.cost,
        view.margin,
        view.margin_percent,
        view.cost_text,
        view.margin_text,
        view.margin_percent_text,
    )


def check(report: billing.BillingReport) -> billing.Reconciliation:
    """The report's reconciliation, or NOT_CHECKED (status "")."""
    done = report.reconciliation if isinstance(report, billing.BrokerBillingReport) else None
    return done or NOT_CHECKED


def organization_totals(report: billing.BillingReport) -> list[billing.BrokerOrganizationTotal]:
    """A broker's per-organization totals of the report."""
    return [o for o in report.organizations if isinstance(o, billing.BrokerOrganizationTotal)]


def page_of(report: billing.BillingReport, page: int) -> list[billing.SubscriptionBilling]:
    """One page of the report's subscriptions, without their lines."""
    start = page * SUBSCRIPTIONS_PER_PAGE
    shown = report.subscriptions[start : start + SUBSCRIPTIONS_PER_PAGE]
    return [replace(s, lines=()) for s in shown]


def pages(report: billing.BillingReport) -> int:
    """How many pages of subscriptions the report has."""
    return -(-len(report.subscriptions) // SUBSCRIPTIONS_PER_PAGE)
