"""An organization's Microsoft 365 tenant as a labelled list (organization page, service screen)."""

from __future__ import annotations

import reflex as rx

from o365portal.services import tenants


def _item(label: str, value: rx.Var[str]) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label),
        rx.data_list.value(rx.cond(value != "", value, "—")),
    )


def _agreement(tenant: rx.Var[tenants.TenantView]) -> rx.Component:
    not_accepted = tenant.mca_status == "not_accepted"
    return rx.data_list.item(
        rx.data_list.label("Customer Agreement"),
        rx.data_list.value(
            rx.text(
                tenant.mca_label,
                color=rx.cond(not_accepted, "var(--orange-11)", ""),
                weight=rx.cond(not_accepted, "medium", "regular"),
            )
        ),
    )


def tenant_details(tenant: rx.Var[tenants.TenantView]) -> rx.Component:
    """Domain, tenant id, relationship, created date, status, who created or linked it, and
    whether the customer accepted the Microsoft Customer Agreement."""
    return rx.data_list.root(
        _item("Domain", tenant.domain),
        _item("Tenant id", tenant.customer_id),
        _item("Relationship", tenant.relationship),
        _item("Created", tenant.created_at),
        rx.data_list.item(
            rx.data_list.label("Status"),
            rx.data_list.value(rx.badge(tenant.status, color_scheme="green")),
        ),
        _item("Added by", tenant.created_by),
        _agreement(tenant),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
    )
