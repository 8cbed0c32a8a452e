"""`use_partner_center`: the services' one seam for another Partner Center client."""

from __future__ import annotations

from pydantic import SecretStr

from o365portal.partner_center import PartnerCenterClient, PartnerCenterConfig
from o365portal.services.partner_center import partner_center, use_partner_center


def _client(tenant_id: str) -> PartnerCenterClient:
    config = PartnerCenterConfig(tenant_id=tenant_id, client_id="app", client_secret=SecretStr("s"))
    return PartnerCenterClient(config)


async def _tenant() -> str:
    async with partner_center() as pc:
        return pc.config.tenant_id


async def test_the_innermost_factory_answers_and_leaving_a_block_restores_the_outer_one() -> None:
    with use_partner_center(lambda: _client("outer")):
        assert await _tenant() == "outer"
        with use_partner_center(lambda: _client("inner")):
            assert await _tenant() == "inner"
        assert await _tenant() == "outer"
