"""NCE catalog routes: products → SKUs → availabilities (reference §5.2), whole collections.

`GET /v1/products?country=&targetView=OnlineServices[&targetSegment=]`, `/v1/products/{p}`,
`/skus`, `/skus/{s}`, `/skus/{s}/availabilities`, `/availabilities/{a}`, and the customer-scoped
variants under `/v1/customers/{id}/products` (country = the customer's). Errors: 404 `400013`
product / `400018` SKU / `400019` availability, 403 `400036` targetView and `400030`
targetSegment not allowed, 400 `2000` missing or unsupported country.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from o365portal.sandbox.commerce.catalog_data import Catalog, CatalogItem, load_catalog
from o365portal.sandbox.commerce.catalog_wire import availability_wire, product_wire, sku_wire
from o365portal.sandbox.commerce.nce_customers import customer_country, find_customer
from o365portal.sandbox.core.identity import caller, sandbox_state
from o365portal.sandbox.core.state import Processor
from o365portal.sandbox.core.wire import PartnerCenterError, collection, pc_json

TARGET_VIEW = "onlineservices"
SEGMENTS = {"commercial", "education", "government", "nonprofit"}


def _country(request: Request, catalog: Catalog) -> str:
    customer_id = request.path_params.get("customer_id")
    if customer_id:
        state = sandbox_state(request)
        with state.lock:
            country = customer_country(find_customer(state, customer_id))
    else:
        country = request.query_params.get("country", "").upper()
    if not country:
        raise PartnerCenterError(400, 2000, "The country parameter is required.")
    if catalog.currency_of(country) is None:
        raise PartnerCenterError(400, 2000, f"The country {country} is not supported.")
    return country.upper()


def _segment(request: Request) -> str | None:
    segment = request.query_params.get("targetSegment")
    if segment is not None and segment.lower() not in SEGMENTS:
        raise PartnerCenterError(403, 400030, f"The target segment {segment} is not allowed.")
    return segment.lower() if segment else None


def _prefix(request: Request) -> str:
    customer_id = request.path_params.get("customer_id")
    return f"/customers/{customer_id}" if customer_id else ""


def _product(catalog: Catalog, product_id: str) -> dict[str, Any]:
    product = catalog.product(product_id)
    if product is None:
        raise PartnerCenterError(404, 400013, f"Product {product_id} was not found.")
    return product


def _sku(catalog: Catalog, product_id: str, sku_id: str) -> dict[str, Any]:
    _product(catalog, product_id)
    sku = catalog.sku(product_id, sku_id)
    if sku is None:
        raise PartnerCenterError(404, 400018, f"SKU {product_id}:{sku_id} was not found.")
    return sku


def _in_segment(sku: dict[str, Any], segment: str | None) -> list[dict[str, Any]]:
    return [a for a in sku["availabilities"] if segment is None or a["segment"] == segment]


async def list_products(request: Request) -> Response:
    """`GET /v1/products`: every OnlineServices (NCE) product sold in the segment."""
    caller(request)
    catalog = load_catalog()
    country = _country(request, catalog)
    view = request.query_params.get("targetView", "")
    if not view:
        raise PartnerCenterError(400, 2000, "The targetView parameter is required.")
    if view.lower() != TARGET_VIEW:
        raise PartnerCenterError(403, 400036, f"The target view {view} is not allowed.")
    segment = _segment(request)
    items = [
        product_wire(product, country, _prefix(request))
        for product in catalog.products.values()
        if any(_in_segment(sku, segment) for sku in product["skus"])
    ]
    uri = f"{_prefix(request)}/products?country={country}&targetView={view}"
    return pc_json(collection(items, uri))


async def get_product(request: Request) -> Response:
    """`GET /v1/products/{p}`."""
    caller(request)
    catalog = load_catalog()
    country = _country(request, catalog)
    product = _product(catalog, request.path_params["product_id"])
    return pc_json(product_wire(product, country, _prefix(request)))


async def list_skus(request: Request) -> Response:
    """`GET /v1/products/{p}/skus`."""
    caller(request)
    catalog = load_catalog()
    country = _country(request, catalog)
    product = _product(catalog, request.path_params["product_id"])
    segment = _segment(request)
    items = [
        sku_wire(catalog, product, sku, country, _prefix(request))
        for sku in product["skus"]
        if _in_segment(sku, segment)
    ]
    uri = f"{_prefix(request)}/products/{product['id']}/skus?country={country}"
    return pc_json(collection(items, uri))


async def get_sku(request: Request) -> Response:
    """`GET /v1/products/{p}/skus/{s}`."""
    caller(request)
    catalog = load_catalog()
    country = _country(request, catalog)
    params = request.path_params
    sku = _sku(catalog, params["product_id"], params["sku_id"])
    product = _product(catalog, params["product_id"])
    return pc_json(sku_wire(catalog, product, sku, country, _prefix(request)))


async def list_availabilities(request: Request) -> Response:
    """`GET /v1/products/{p}/skus/{s}/availabilities` (education only when asked for)."""
    caller(request)
    catalog = load_catalog()
    country = _country(request, catalog)
    params = request.path_params
    sku = _sku(catalog, params["product_id"], params["sku_id"])
    segment = _segment(request)
    items = [
        availability_wire(catalog, item, country, _prefix(request))
        for availability in _in_segment(sku, segment)
        if (item := catalog.availability(params["product_id"], sku["id"], availability["id"]))
    ]
    product = _product(catalog, params["product_id"])
    uri = f"{_prefix(request)}/products/{product['id']}/skus/{sku['id']}/availabilities"
    return pc_json(collection(items, f"{uri}?country={country}"))


async def get_availability(request: Request) -> Response:
    """`GET /v1/products/{p}/skus/{s}/availabilities/{a}`."""
    caller(request)
    catalog = load_catalog()
    country = _country(request, catalog)
    params = request.path_params
    _sku(catalog, params["product_id"], params["sku_id"])
    item: CatalogItem | None = catalog.availability(
        params["product_id"], params["sku_id"], params["availability_id"]
    )
    if item is None:
        raise PartnerCenterError(
            404, 400019, f"Availability {params['availability_id']} was not found."
        )
    return pc_json(availability_wire(catalog, item, country, _prefix(request)))


def _routes(base: str) -> list[BaseRoute]:
    product = base + "/products/{product_id}"
    sku = product + "/skus/{sku_id}"
    return [
        Route(base + "/products", list_products, methods=["GET"]),
        Route(product, get_product, methods=["GET"]),
        Route(product + "/skus", list_skus, methods=["GET"]),
        Route(sku, get_sku, methods=["GET"]),
        Route(sku + "/availabilities", list_availabilities, methods=["GET"]),
        Route(sku + "/availabilities/{availability_id}", get_availability, methods=["GET"]),
    ]


routes: list[BaseRoute] = _routes("/v1") + _routes("/v1/customers/{customer_id}")
PROCESSORS: list[Processor] = []
