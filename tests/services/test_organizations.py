"""Searching organizations (brokers)."""

from __future__ import annotations

import pytest

from o365portal.services.organizations import _organizations as organizations
from tests.builders import link_tenant, new_broker, new_organization, unique

pytestmark = pytest.mark.usefixtures("portal_env")


def test_the_link_dialog_search_leaves_out_organizations_with_a_tenant() -> None:
    broker = new_broker()
    name = unique("Searchable ")
    without = new_organization(broker.principal, company_name=f"{name} One")
    with_tenant = new_organization(broker.principal, company_name=f"{name} Two")
    link_tenant(with_tenant.id, f"{unique('t')}.onmicrosoft.com")

    everyone = organizations.search_organizations(actor=broker.principal, query=name)
    candidates = organizations.search_organizations(
        actor=broker.principal, query=name, without_tenant=True
    )

    assert {o.id for o in everyone.items} == {without.id, with_tenant.id}
    assert [o.id for o in candidates.items] == [without.id]
    assert candidates.total == 1
