"""The catalog routes of the sandbox, and a client configured from sandbox.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from o365portal.partner_center import NotFoundError, PartnerCenterClient, PartnerCenterConfig
from o365portal.partner_center.models import BillingCycle
from o365portal.sandbox.core.server import SandboxInfo, write_info_file


async def test_the_online_services_catalog_lists_nce_products_with_skus_and_availabilities(
    pc: PartnerCenterClient,
) -> None:
    products = await pc.catalog.products("US")
    nce = [p for p in products if p.product_type and p.product_type.id == "OnlineServicesNCE"]
    assert nce, "no NCE product in OnlineServices"
    product = nce[0]
    skus = await pc.catalog.skus(product.id, "US")
    assert skus and all(s.product_id == product.id for s in skus)
    sku = await pc.catalog.sku(product.id, skus[0].id, "US")
    assert sku.title == skus[0].title
    availabilities = await pc.catalog.availabilities(product.id, sku.id, "US")
    assert availabilities
    availability = availabilities[0]
    assert availability.catalog_item_id == f"{product.id}:{sku.id}:{availability.id}"
    assert any(
        term.billing_cycle == BillingCycle.MONTHLY for a in availabilities for term in a.terms
    )
    again = await pc.catalog.availability(product.id, sku.id, availability.id, "US")
    assert again.catalog_item_id == availability.catalog_item_id


async def test_an_unknown_product_is_a_not_found_error_with_partner_center_code(
    pc: PartnerCenterClient,
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await pc.catalog.product("NOPE0000NOPE", "US")
    assert caught.value.code == 400013
    assert caught.value.request_id


async def test_a_client_configured_from_sandbox_json_works(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    config = PartnerCenterConfig.from_sandbox_file(write_info_file(sandbox, tmp_path))
    async with PartnerCenterClient(config) as pc:
        assert await pc.catalog.product("CFQ7TTC0LH18", "US")
        assert (await pc.customers.relationship_request()).url
