"""Wire shapes of NCE products, SKUs and availabilities (reference §5.2; fixtures GetProduct*).

Sandbox extension: products and SKUs carry `sandboxAttributes` with the portal's `category` and
`productGroup` (and the SKU's Entra `skuPartNumber`); availability terms carry
`sandboxAttributes.listPrices` (the dated list prices in the country's currency). Real Partner
Center has no such fields; clients must treat them as optional.
"""

from __future__ import annotations

from typing import Any

from o365portal.sandbox.commerce.catalog_data import (
    NCE_PRODUCT_TYPE,
    TERM_DESCRIPTIONS,
    Catalog,
    CatalogItem,
)
from o365portal.sandbox.core.wire import link

PUBLISHER = "Microsoft Corporation"
REFUND_POLICY = [
    {
        "refundOptions": [
            {"sequenceId": 1, "type": "Full", "expiresAfter": "P1D"},
            {"sequenceId": 2, "type": "Partial", "expiresAfter": "P7D"},
        ]
    }
]


def product_wire(product: dict[str, Any], country: str, prefix: str = "") -> dict[str, Any]:
    """A Product resource."""
    base = f"{prefix}/products/{product['id']}"
    return {
        "id": product["id"],
        "title": product["title"],
        "description": product["title"],
        "productType": dict(NCE_PRODUCT_TYPE),
        "isMicrosoftProduct": True,
        "publisherName": PUBLISHER,
        "sandboxAttributes": {
            "category": product["category"],
            "productGroup": product["productGroup"],
        },
        "links": {
            "skus": link(f"{base}/skus?country={country}"),
            "self": link(f"{base}?country={country}"),
        },
        "attributes": {"objectType": "Product"},
    }


def _prerequisite_skus(catalog: Catalog, sku: dict[str, Any]) -> list[str]:
    return [
        f"{product_id}:{base['id']}"
        for product_id in sku["prerequisiteProductIds"]
        for base in (catalog.product(product_id) or {"skus": []})["skus"]
    ]


def _billing_cycles(sku: dict[str, Any]) -> list[str]:
    cycles: list[str] = []
    for availability in sku["availabilities"]:
        for term in availability["terms"]:
            if term["billingCycle"].lower() not in cycles:
                cycles.append(term["billingCycle"].lower())
    return cycles


def sku_wire(
    catalog: Catalog, product: dict[str, Any], sku: dict[str, Any], country: str, prefix: str = ""
) -> dict[str, Any]:
    """A SKU resource with NCE `dynamicAttributes` (isAddon, prerequisiteSkus, provisioningId)."""
    base = f"{prefix}/products/{product['id']}/skus/{sku['id']}"
    return {
        "id": sku["id"],
        "productId": product["id"],
        "title": sku["title"],
        "description": sku["title"],
        "minimumQuantity": sku["minimumQuantity"],
        "maximumQuantity": sku["maximumQuantity"],
        "isTrial": False,
        "supportedBillingCycles": _billing_cycles(sku),
        "purchasePrerequisites": ["MicrosoftCustomerAgreement"],
        "inventoryVariables": [],
        "provisioningVariables": [],
        "actions": ["Refund"],
        "dynamicAttributes": {
            "isMicrosoftProduct": True,
            "hasConstraints": False,
            "isAddon": sku["isAddon"],
            "prerequisiteSkus": _prerequisite_skus(catalog, sku),
            "isSoftwareAssuranceApplicable": False,
            "upgradeTargetOffers": [],
            "provisioningId": sku["provisioningId"],
            "internal": False,
            "conversionInstructions": [],
        },
        "sandboxAttributes": {
            "category": product["category"],
            "productGroup": product["productGroup"],
            "skuPartNumber": sku["skuPartNumber"],
        },
        "links": {
            "availabilities": link(f"{base}/availabilities?country={country}"),
            "self": link(f"{base}?country={country}"),
        },
        "attributes": {"objectType": "Sku"},
    }


def _term_wire(item: CatalogItem, term: dict[str, Any], currency: str) -> dict[str, Any]:
    duration = item.term_duration
    return {
        "duration": duration,
        "description": TERM_DESCRIPTIONS[duration],
        "billingCycle": term["billingCycle"].lower(),
        "cancellationPolicies": REFUND_POLICY,
        "sandboxAttributes": {
            "listPrices": [
                {"currency": currency, **row} for row in term["prices"].get(currency, [])
            ]
        },
    }


def availability_wire(
    catalog: Catalog, item: CatalogItem, country: str, prefix: str = ""
) -> dict[str, Any]:
    """An Availability resource: catalogItemId, currency, segment, terms with refund policy."""
    currency = catalog.currency_of(country) or "USD"
    product_id, sku_id, availability_id = item.catalog_item_id.split(":")
    uri = f"{prefix}/products/{product_id}/skus/{sku_id}/availabilities/{availability_id}"
    return {
        "id": availability_id,
        "productId": product_id,
        "skuId": sku_id,
        "catalogItemId": item.catalog_item_id,
        "defaultCurrency": {"code": currency, "symbol": catalog.currency_symbol(currency)},
        "segment": item.availability["segment"],
        "country": country,
        "isPurchasable": True,
        "isRenewable": True,
        "terms": [_term_wire(item, term, currency) for term in item.availability["terms"]],
        "includedQuantityOptions": [],
        "links": {"self": link(f"{uri}?country={country}")},
        "attributes": {"objectType": "Availability"},
    }
