"""An organization's Microsoft 365 tenant as a labelled list (organization page, service screen)."""

from __future__ import annotations

import reflex as rx


def _item(tenant: rx.Var[dict[str, str]], label: str, key: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label),
        rx.data_list.value(rx.cond(tenant[key] != "", tenant[key], "—")),
    )


def tenant_details(tenant: rx.Var[dict[str, str]]) -> rx.Component:
    """Domain, tenant id, relationship, created date, status and who created or linked it."""
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
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
    )
