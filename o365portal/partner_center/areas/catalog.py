"""NCE catalog (reference §5.2): products, their SKUs and the SKUs' availabilities."""

from __future__ import annotations

from o365portal.partner_center.areas.base import Area
from o365portal.partner_center.models.base import Collection
from o365portal.partner_center.models.catalog import Availability, Product, Sku

ONLINE_SERVICES = "OnlineServices"


class CatalogArea(Area):
    """`client.catalog`: what can be bought in a country."""

    async def products(
        self, country: str, *, target_view: str = ONLINE_SERVICES, segment: str | None = None
    ) -> list[Product]:
        """The products of a target view (Microsoft 365 NCE: OnlineServices) in a country."""
        params = {"country": country, "targetView": target_view}
        if segment:
            params["targetSegment"] = segment
        return (await self._get("/v1/products", Collection[Product], params=params)).items

    async def product(self, product_id: str, country: str) -> Product:
        """One product."""
        path = f"/v1/products/{product_id}"
        return await self._get(path, Product, params={"country": country})

    async def skus(self, product_id: str, country: str) -> list[Sku]:
        """The SKUs of a product."""
        path = f"/v1/products/{product_id}/skus"
        return (await self._get(path, Collection[Sku], params={"country": country})).items

    async def sku(self, product_id: str, sku_id: str, country: str) -> Sku:
        """One SKU."""
        path = f"/v1/products/{product_id}/skus/{sku_id}"
        return await self._get(path, Sku, params={"country": country})

    async def availabilities(
        self, product_id: str, sku_id: str, country: str, *, segment: str | None = None
    ) -> list[Availability]:
        """The availabilities of a SKU; fetch them right before buying (their ids change)."""
        params = {"country": country}
        if segment:
            params["targetSegment"] = segment
        path = f"/v1/products/{product_id}/skus/{sku_id}/availabilities"
        return (await self._get(path, Collection[Availability], params=params)).items

    async def availability(
        self, product_id: str, sku_id: str, availability_id: str, country: str
    ) -> Availability:
        """One availability."""
        path = f"/v1/products/{product_id}/skus/{sku_id}/availabilities/{availability_id}"
        return await self._get(path, Availability, params={"country": country})
