"""An organization's Microsoft 365 tenant as a labelled list (organization page, service screen)."""

from __future__ import annotations

import reflex as rx


def _item(tenant: rx.Var[dict[str, str]], label: str, key: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label),
        rx.data_list.value(rx.cond(tenant[key] != "", tenant[key], "—")),
    )


def _agreement(tenant: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label("Customer Agreement"),
        rx.data_list.value(
            rx.text(
                tenant["mca_label"],
                color=rx.cond(tenant["mca_status"] == "not_accepted", "var(--orange-11)", ""),
                weight=rx.cond(tenant["mca_status"] == "not_accepted", "medium", "regular"),
            )
        ),
    )


def tenant_details(tenant: rx.Var[dict[str, str]]) -> rx.Component:
    """Domain, tenant id, relationship, created date, status, who created or linked it, and
    whether the customer accepted the Microsoft Customer Agreement."""
    return rx.data_list.root(
        _item(tenant, "Domain", "domain"),
        _item(tenant, "Tenant id", "customer_id"),
        _item(tenant, "Relationship", "relationship"),
        _item(tenant, "Created", "created_at"),
        rx.data_list.item(
            rx.data_list.label("Status"),
            rx.data_list.value(rx.badge(tenant["status"], color_scheme="green")),
        ),
        _item(tenant, "Added by", "created_by"),
        _agreement(tenant),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
    )
