"""What of the service's report levels the billing page puts in its state.

A customer's are the service's cost-free types; a broker's cost columns are held apart
(`cost_columns`), so components typed for the customer's view never read a cost.
"""

from __future__ import annotations

from collections.abc import Sequence

from o365portal.services import billing

NOT_CHECKED = billing.Reconciliation(
    matches=False, status="", sources=(), differences=(), lines_checked=0
)


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


def organization_totals(
    totals: Sequence[billing.OrganizationTotal],
) -> list[billing.BrokerOrganizationTotal]:
    """A broker's per-organization totals (none for a customer's)."""
    return [o for o in totals if isinstance(o, billing.BrokerOrganizationTotal)]
