"""My Services -> Microsoft 365 -> Billing report: an organization's (brokers and customers)
and the broker-wide report of every organization (brokers).

One card per billing period: billing date, period and total (brokers also cost, margin and
margin %, and "Check with Microsoft"); it opens to its subscriptions (billing_subscriptions.py),
which open to their lines (billing_lines.py). State: billing_state.py.
"""

from __future__ import annotations

import reflex as rx

from o365portal.services import billing
from o365portal.ui import routes, styles
from o365portal.ui.billing.billing_range import (
    export_buttons,
    organization_totals,
    range_form,
    totals_chart,
)
from o365portal.ui.billing.billing_state import BillingState as S
from o365portal.ui.billing.billing_subscriptions import (
    subscription_cards,
    subscription_pager,
    subscriptions_table,
)
from o365portal.ui.billing.billing_text import cost_summary
from o365portal.ui.components.layout import page_shell
from o365portal.ui.components.notices import organization_not_found

Period = rx.Var[billing.BillingReport]
Index = rx.Var[int]


def _check(i: Index) -> rx.Component:
    check = S.checks[i]
    here = S.check_at == i
    return rx.vstack(
        rx.hstack(
            rx.button(
                rx.icon("scale", size=14),
                "Check with Microsoft",
                size="1",
                variant="soft",
                loading=S.checking & here,
                on_click=S.check(i),
            ),
            rx.cond(
                check.status != "",
                rx.badge(
                    check.status,
                    color_scheme=rx.cond(check.matches, "green", "orange"),
                    role="status",
                ),
            ),
            wrap="wrap",
            align="center",
        ),
        rx.cond(
            check.sources.length() > 0,
            rx.text("Read: ", check.sources.join(", "), size="1", color=styles.MUTED),
        ),
        rx.cond(
            check.differences.length() > 0,
            rx.el.ul(
                rx.foreach(check.differences, lambda d: rx.el.li(rx.text(d.text, size="1"))),
                padding_left="1.25rem",
                aria_label="Differences with Microsoft",
            ),
        ),
        rx.cond(
            check.not_compared.length() > 0,
            rx.el.ul(
                rx.foreach(check.not_compared, lambda text: rx.el.li(rx.text(text, size="1"))),
                padding_left="1.25rem",
                aria_label="Not compared",
            ),
        ),
        rx.cond(
            here & (S.check_error != ""),
            rx.callout(
                S.check_error,
                icon="circle-alert",
                color_scheme="red",
                role="alert",
                size="1",
                width="100%",
            ),
        ),
        spacing="1",
        width="100%",
    )


def _headline(p: Period, i: Index) -> rx.Component:
    opened = S.open_period == i
    costs = S.period_costs[i]
    return rx.flex(
        rx.button(
            rx.icon(rx.cond(opened, "chevron-up", "chevron-down"), size=16),
            "Billing date ",
            p.billing_date,
            variant="ghost",
            aria_expanded=rx.cond(opened, "true", "false"),
            on_click=S.toggle_period(i),
        ),
        rx.text(
            p.period_start,
            " – ",
            p.period_end,
            " · ",
            S.counts[i],
            rx.cond(S.counts[i] == 1, " subscription", " subscriptions"),
            size="2",
            color=styles.MUTED,
        ),
        rx.spacer(display=["none", "block"]),
        rx.vstack(
            rx.text("Total ", p.total_text, weight="bold", size="3", white_space="nowrap"),
            rx.cond(
                S.is_broker,
                cost_summary(costs),
            ),
            spacing="0",
            align=rx.breakpoints(initial="start", sm="end"),
        ),
        wrap="wrap",
        gap="0.5rem",
        align="center",
        width="100%",
    )


def _period(p: Period, i: Index) -> rx.Component:
    return rx.card(
        rx.vstack(
            _headline(p, i),
            rx.cond(S.is_broker, _check(i)),
            rx.cond(
                S.open_period == i,
                rx.vstack(
                    organization_totals(),
                    subscription_pager(),
                    subscriptions_table(),
                    subscription_cards(),
                    subscription_pager(),
                    spacing="3",
                    width="100%",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        role="region",
        aria_label=f"Billing date {p.billing_date}",
        width="100%",
    )


def _report() -> rx.Component:
    return rx.vstack(
        rx.flex(
            range_form(),
            export_buttons(),
            justify="between",
            align="end",
            wrap="wrap",
            gap="0.75rem",
            width="100%",
        ),
        rx.text(
            "Reports ",
            S.first_month,
            " to ",
            S.last_month,
            ", one per billing period.",
            size="2",
            color=styles.MUTED,
        ),
        totals_chart(),
        rx.cond(S.loading, rx.spinner(size="3", aria_label="Reading the report")),
        rx.foreach(S.periods, _period),
        spacing="3",
        width="100%",
    )


@routes.page(routes.BILLING, S.load)
def billing_page() -> rx.Component:
    """An organization's billing report."""
    return page_shell(
        "Billing report",
        rx.cond(
            S.missing,
            organization_not_found(),
            rx.vstack(
                rx.link(
                    S.org_name,
                    " · Microsoft 365 CSP Direct",
                    href=S.service_url,
                    color=styles.MUTED,
                    size="2",
                ),
                _report(),
                width="100%",
            ),
        ),
    )


@routes.page(routes.BROKER_BILLING, S.load_all)
def broker_billing_page() -> rx.Component:
    """Every organization's billing report (broker staff)."""
    return page_shell("Billing report: all organizations", _report())
