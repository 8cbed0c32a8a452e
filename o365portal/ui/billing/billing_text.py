"""Small texts every level of the billing page writes the same way."""

from __future__ import annotations

import reflex as rx

from o365portal.services import billing
from o365portal.ui import styles


def small(*children: rx.Component | rx.Var | str, **props: str) -> rx.Component:
    """A muted line of small text."""
    return rx.text(*children, size="1", color=styles.MUTED, **props)


def cost_summary(
    costs: rx.Var[billing.CostColumns], prefix: str | rx.Var[str] = "Cost "
) -> rx.Component:
    """ "Cost 25.20 USD · margin 1.80 USD (6.67 %)" (broker staff only)."""
    return small(
        prefix,
        costs.cost_text,
        " · margin ",
        costs.margin_text,
        " (",
        costs.margin_percent_text,
        ")",
    )
