"""Searches take `%` and `_` literally (issue 9 item 6), on each database backend."""

from __future__ import annotations

import pytest

from o365portal.services import organizations, price_rows
from tests.builders import new_broker, new_organization, unique
from tests.integration.services.pricing_support import new_catalog_item


@pytest.mark.usefixtures("portal_env")
def test_organization_search_takes_percent_and_underscore_literally() -> None:
    broker = new_broker()
    tag = unique("Lit")
    names = [f"{tag} 50% Off", f"{tag} 50 Percent", f"{tag} A_B", f"{tag} AxB", f"{tag} C/D"]
    for name in names:
        new_organization(broker.principal, company_name=name)

    def found(text: str) -> list[str]:
        page = organizations.search_organizations(actor=broker.principal, query=text)
        return [item.company_name for item in page.items]

    assert found(tag) == sorted(names, key=str.lower)
    assert found(f"{tag} 50%") == [f"{tag} 50% Off"]
    assert found(f"{tag} a_b") == [f"{tag} A_B"]
    assert found(f"{tag} c/d") == [f"{tag} C/D"]
    assert found(f"{tag}%Percent") == []


@pytest.mark.usefixtures("portal_env")
def test_price_list_search_takes_underscore_literally() -> None:
    broker = new_broker()
    tag = unique("Lit")
    wanted = new_catalog_item(title=f"{tag} X_Y")
    new_catalog_item(title=f"{tag} XzY")
    page = price_rows.price_rows(
        actor=broker.principal,
        list_id=None,
        filters=price_rows.PriceFilters(text=f"{tag} x_y"),
        page_size=50,
    )
    assert [row.item for row in page.rows] == [wanted]
