"""Build the Partner Center sandbox's NCE catalog (o365portal/sandbox/data/catalog.json).

Input: ../shared/reference/nce-catalog-facts.json (40 real Microsoft 365 NCE SKUs with dated US
list prices). The runtime never reads the facts file; this script is how the committed data file
was made. Gaps in the facts are filled with the documented sandbox choices below
(docs/partner-center-sandbox-commerce.md, "Catalog data"):

- sku_id missing -> "0001";
- max_quantity missing -> 5000;
- a SKU without any US price copies the prices of its product's first SKU;
- a price without an effective date is in force from 2022-03-01 (NCE price-list start);
- P3Y terms without a price use the P1Y series (annual/monthly), triennial = the P1Y annual series;
- prerequisite products that are not in this catalog are dropped.

Prices are stored per billing-cycle charge, as Microsoft's price sheet does: monthly billing =
one month, annual = 12 months, triennial = 36 months of the monthly-equivalent list price. Non-USD
prices use the fixed conversion rates in CURRENCIES (sandbox approximations).

Usage: .venv/bin/python scripts/build_sandbox_catalog.py [facts.json] [catalog.json]
"""

from __future__ import annotations

import hashlib
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTS = ROOT.parent / "shared" / "reference" / "nce-catalog-facts.json"
DEFAULT_OUT = ROOT / "o365portal" / "sandbox" / "data" / "catalog.json"

DEFAULT_SKU_ID = "0001"
DEFAULT_MAX_QUANTITY = 5000
DEFAULT_EFFECTIVE_DATE = "2022-03-01"
CENT = Decimal("0.01")

# Fixed USD -> currency factors (sandbox approximations, not Microsoft's local price lists).
CURRENCIES: dict[str, dict[str, str]] = {
    "USD": {"symbol": "$", "usdRate": "1"},
    "EUR": {"symbol": "€", "usdRate": "0.92"},
    "GBP": {"symbol": "£", "usdRate": "0.79"},
    "CAD": {"symbol": "CA$", "usdRate": "1.36"},
    "AUD": {"symbol": "AU$", "usdRate": "1.52"},
    "NZD": {"symbol": "NZ$", "usdRate": "1.66"},
    "CHF": {"symbol": "CHF", "usdRate": "0.88"},
    "DKK": {"symbol": "kr", "usdRate": "6.86"},
    "SEK": {"symbol": "kr", "usdRate": "10.50"},
    "NOK": {"symbol": "kr", "usdRate": "10.70"},
}
EURO_COUNTRIES = ["AT", "BE", "DE", "ES", "FI", "FR", "GR", "IE", "IT", "LU", "NL", "PT"]
COUNTRIES: dict[str, str] = {
    "US": "USD",
    "GB": "GBP",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "CH": "CHF",
    "DK": "DKK",
    "SE": "SEK",
    "NO": "NOK",
    **dict.fromkeys(EURO_COUNTRIES, "EUR"),
}
# Real availability ids documented by Microsoft (D23:developer/get-an-availability-by-id.md).
KNOWN_AVAILABILITY_IDS = {("CFQ7TTC0LH18", "0001", "P1Y"): "CFQ7TTC0K971"}
MONTHS_PER_CHARGE = {"Monthly": 1, "Annual": 12, "Triennial": 36}
TERM_ORDER = {"P1M": 0, "P1Y": 1, "P3Y": 2}
CYCLE_ORDER = {"Monthly": 0, "Annual": 1, "Triennial": 2}
ID_ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXZ"


def availability_id(product_id: str, sku_id: str, term: str) -> str:
    """Deterministic 12-character availability id (`CFQ7TTC0` + 4) for one product/SKU/term."""
    known = KNOWN_AVAILABILITY_IDS.get((product_id, sku_id, term))
    if known:
        return known
    number = int(hashlib.sha256(f"{product_id}:{sku_id}:{term}".encode()).hexdigest(), 16)
    suffix = ""
    for _ in range(4):
        number, index = divmod(number, len(ID_ALPHABET))
        suffix += ID_ALPHABET[index]
    return "CFQ7TTC0" + suffix


def _series(terms: list[dict[str, Any]], duration: str, cycle: str) -> list[tuple[str, Decimal]]:
    rows = [
        (t["price_effective_date"] or DEFAULT_EFFECTIVE_DATE, Decimal(str(t["usd_list_price"])))
        for t in terms
        if t["term_duration"] == duration
        and t["billing_cycle"] == cycle
        and t["usd_list_price"] is not None
    ]
    return sorted(rows)


def _monthly_series(
    fact: dict[str, Any], sibling: dict[str, Any] | None, duration: str, cycle: str
) -> list[tuple[str, Decimal]]:
    """Monthly-equivalent USD prices for one term/cycle, with the documented fallbacks."""
    series = _series(fact["terms"], duration, cycle)
    if not series and sibling is not None:
        series = _series(sibling["terms"], duration, cycle)
    if not series and duration == "P3Y":
        source_cycle = "Monthly" if cycle == "Monthly" else "Annual"
        series = _series(fact["terms"], "P1Y", source_cycle)
    return series


def _prices(monthly_usd: list[tuple[str, Decimal]], cycle: str) -> dict[str, list[dict[str, str]]]:
    months = MONTHS_PER_CHARGE[cycle]
    prices: dict[str, list[dict[str, str]]] = {}
    for code, info in CURRENCIES.items():
        rate = Decimal(info["usdRate"])
        prices[code] = [
            {
                "effectiveDate": date,
                "unitPrice": str((usd * rate).quantize(CENT, ROUND_HALF_UP) * months),
            }
            for date, usd in monthly_usd
        ]
    return prices


def _availabilities(
    fact: dict[str, Any], sibling: dict[str, Any] | None, sku_id: str
) -> list[dict[str, Any]]:
    plans = sorted(
        {(t["term_duration"], t["billing_cycle"]) for t in fact["terms"]},
        key=lambda plan: (TERM_ORDER[plan[0]], CYCLE_ORDER[plan[1]]),
    )
    by_term: dict[str, list[dict[str, Any]]] = {}
    for duration, cycle in plans:
        series = _monthly_series(fact, sibling, duration, cycle)
        if not series:
            continue
        by_term.setdefault(duration, []).append(
            {"billingCycle": cycle, "prices": _prices(series, cycle)}
        )
    segment = "education" if fact["product_group"] == "Education" else "commercial"
    return [
        {
            "id": availability_id(fact["product_id"], sku_id, duration),
            "termDuration": duration,
            "segment": segment,
            "terms": terms,
        }
        for duration, terms in by_term.items()
    ]


def _sku(fact: dict[str, Any], sibling: dict[str, Any] | None, known: set[str]) -> dict[str, Any]:
    sku_id = fact["sku_id"] or DEFAULT_SKU_ID
    return {
        "id": sku_id,
        "title": fact["title"],
        "minimumQuantity": fact["min_quantity"] or 1,
        "maximumQuantity": fact["max_quantity"] or DEFAULT_MAX_QUANTITY,
        "isAddon": bool(fact["is_addon"]),
        "prerequisiteProductIds": [p for p in fact["prerequisite_product_ids"] if p in known],
        "provisioningId": fact["provisioning_sku_id"],
        "skuPartNumber": fact["sku_part_number"],
        "availabilities": _availabilities(fact, sibling, sku_id),
    }


def build(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Turn the facts list into the sandbox catalog document."""
    known = {fact["product_id"] for fact in facts}
    products: dict[str, dict[str, Any]] = {}
    first_sku: dict[str, dict[str, Any]] = {}
    for fact in facts:
        product_id = fact["product_id"]
        sibling = first_sku.setdefault(product_id, fact)
        product = products.setdefault(
            product_id,
            {
                "id": product_id,
                "title": fact["title"],
                "category": fact["category"],
                "productGroup": fact["product_group"],
                "skus": [],
            },
        )
        product["skus"].append(_sku(fact, sibling if sibling is not fact else None, known))
    return {
        "generatedBy": "scripts/build_sandbox_catalog.py from nce-catalog-facts.json",
        "currencies": CURRENCIES,
        "countries": COUNTRIES,
        "products": list(products.values()),
    }


def main(argv: list[str]) -> None:
    """Read the facts file and write the catalog JSON (paths optional)."""
    facts_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_FACTS
    out_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    document = build(facts)
    out_path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    skus = sum(len(p["skus"]) for p in document["products"])
    print(f"wrote {out_path}: {len(document['products'])} products, {skus} SKUs")


if __name__ == "__main__":
    main(sys.argv)
