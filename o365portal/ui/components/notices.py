"""Notices every organization page shares."""

from __future__ import annotations

import reflex as rx

NO_SUCH_ORGANIZATION = "This organization does not exist or you do not have access to it."


def organization_not_found() -> rx.Component:
    """What a page shows for an organization id the actor may not see (or that does not exist)."""
    return rx.callout(
        NO_SUCH_ORGANIZATION, icon="circle-alert", color_scheme="orange", role="alert", width="100%"
    )
