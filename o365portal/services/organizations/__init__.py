"""Customer organizations: search, read, add and edit."""

from __future__ import annotations

from o365portal.services.organizations._input import OrganizationInput
from o365portal.services.organizations._organizations import (
    COUNTRY_OPTIONS,
    LANGUAGE_OPTIONS,
    OrganizationView,
    create_organization,
    get_organization,
    search_organizations,
    update_organization,
)

__all__ = [
    "COUNTRY_OPTIONS",
    "LANGUAGE_OPTIONS",
    "OrganizationInput",
    "OrganizationView",
    "create_organization",
    "get_organization",
    "search_organizations",
    "update_organization",
]
