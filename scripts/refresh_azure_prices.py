"""Refresh the committed Azure price tables from the Azure Retail Prices API (needs network access).

    python scripts/refresh_azure_prices.py eastus westeurope        # rewrite the tables, today's date
    python scripts/refresh_azure_prices.py --keep-missing uksouth    # new region from eastus's keys

The API (https://prices.azure.com/api/retail/prices, no authentication) is queried once per rule with an
OData $filter on serviceName, armRegionName, priceType 'Consumption' and the rule's exact fields, following
NextPageLink to the end. Of the items returned, those with the rule's unitOfMeasure, type 'Consumption' and
none of the excluded words are kept, each meter's first paid tier (free allotments are the costing's
business); one price must remain, else the key is reported with why. RULES say how each key is found;
--api-url (or MLGEN_AZURE_PRICES_URL) points the script at another server (the tests' loopback fake).
Writes generator/mlgen/clouds/azure/prices/<region>.json; missing keys exit 1 unless --keep-missing.
"""

from __future__ import annotations

import os
import re
import sys
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mlgen.cost.refresh import get_json, parser, reprice, run, today_iso

PRICES_DIR = Path(__file__).resolve().parents[1] / "generator/mlgen/clouds/azure/prices"
API_URL = "https://prices.azure.com/api/retail/prices"
API_VERSION = "2023-01-01-preview"
METHOD = (
    "Pay-as-you-go (Consumption, Linux) retail prices from the Azure Retail Prices API, written by "
    "scripts/refresh_azure_prices.py; each entry's filter is the $filter it was read with."
)
PAGES = "https://azure.microsoft.com/pricing/details/"
# Spot, low-priority and Windows meters share a VM size's armSkuName; the table prices dedicated Linux.
VM_EXCLUDE = ("Spot", "Low Priority", "Windows")


@dataclass(frozen=True)
class Rule:
    service: str  # serviceName (filter values are case-sensitive since 2023-01-01-preview)
    unit: str  # the unitOfMeasure the table's unit corresponds to; the price is divided by its number
    page: str  # the public price page, the entry's source
    fields: tuple[tuple[str, str], ...] = ()  # further exact filters: meterName, productName, armSkuName...
    exclude: tuple[str, ...] = ()  # words that disqualify an item's meterName, skuName or productName
    regional: bool = True  # False: no armRegionName filter (Azure DNS bills globally / by zone)


def _rule(service: str, unit: str, page: str, **fields: str) -> Rule:
    return Rule(service, unit, PAGES + page, tuple(sorted(fields.items())))


# The meter names are as the Azure pricing pages name them, compiled offline: the first online run
# reports any key whose rule matches nothing or more than one price (exit 1), which is the check.
RULES: dict[str, Rule] = {
    "acr.premium_day": _rule(
        "Container Registry", "1/Day", "container-registry/", meterName="Premium Registry Unit"
    ),
    "key_vault.hsm_key_month": _rule(
        "Key Vault", "1/Month", "key-vault/", meterName="Premium HSM-protected RSA 2048-bit keys"
    ),
    "log_analytics.ingest_gb": _rule(
        "Log Analytics", "1 GB", "monitor/", meterName="Pay-as-you-go Data Ingestion"
    ),
    "monitor.log_alert_month": _rule(
        "Azure Monitor", "1/Month", "monitor/", meterName="Alerts Log Monitoring at 15 Minute Frequency"
    ),
    "monitor.metric_alert_month": _rule(
        "Azure Monitor", "1/Month", "monitor/", meterName="Alerts Metrics Monitored"
    ),
    "private_dns.zone_month": Rule(
        "Azure DNS", "1/Month", PAGES + "dns/", (("meterName", "Private Zone"),), regional=False
    ),
    "private_endpoint.gb": _rule(
        "Virtual Network",
        "1 GB",
        "private-link/",
        productName="Virtual Network Private Link",
        meterName="Standard Data Processed - Ingress",
    ),
    "private_endpoint.hour": _rule(
        "Virtual Network",
        "1 Hour",
        "private-link/",
        productName="Virtual Network Private Link",
        meterName="Standard Private Endpoint",
    ),
    # The lake is ZRS (modules/azure/storage replication_type default, the environment root's value).
    "storage.adls_hot_gb_month": _rule(
        "Storage",
        "1 GB/Month",
        "storage/data-lake/",
        productName="Azure Data Lake Storage Gen2 Hierarchical Namespace",
        meterName="Hot ZRS Data Stored",
    ),
}


def rule_for(key: str) -> Rule | None:
    """How a price key is found in the Retail Prices API; None for a key this script does not know."""
    if key in RULES:
        return RULES[key]
    if key.startswith("vm."):
        size = key.removeprefix("vm.")
        return Rule(
            "Virtual Machines",
            "1 Hour",
            PAGES + "virtual-machines/linux/",
            (("armSkuName", size),),
            VM_EXCLUDE,
        )
    return None


def odata_filter(rule: Rule, region: str) -> str:
    """The $filter of the rule's query; the table records it (not the URL: the host may be a test's)."""
    clauses = [("serviceName", rule.service)]
    if rule.regional:
        clauses.append(("armRegionName", region))
    clauses += [("priceType", "Consumption"), *rule.fields]
    return " and ".join(f"{name} eq '{value}'" for name, value in clauses)


def query_url(api_url: str, odata: str) -> str:
    return f"{api_url}?{urllib.parse.urlencode({'api-version': API_VERSION, '$filter': odata})}"


def items(url: str, get: Callable[[str], dict]) -> list[dict]:
    """Every item of a query, following NextPageLink (absent or null on the last page)."""
    found, seen = [], set()
    while url and url not in seen:
        seen.add(url)
        page = get(url)
        found += page.get("Items", [])
        url = page.get("NextPageLink")
    return found


def unit_quantity(unit: str) -> float:
    """ "100 Hours" -> 100: the API's price is per that many units."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)", unit)
    return float(match.group(1)) if match else 1.0


def pick_price(rule: Rule, candidates: list[dict]) -> float | str:
    """The one price the rule's items agree on, or why there is none."""

    def eligible(item: dict) -> bool:
        words = " ".join(str(item.get(f, "")) for f in ("meterName", "skuName", "productName"))
        return (
            item.get("type") == "Consumption"
            and item.get("currencyCode", "USD") == "USD"
            and item.get("unitOfMeasure") == rule.unit
            and float(item.get("retailPrice", 0)) > 0
            and not any(word in words for word in rule.exclude)
        )

    kept = [item for item in candidates if eligible(item)]
    if not kept:
        return f"no paid Consumption item with unit {rule.unit!r} among {len(candidates)} returned"
    first_tier: dict[tuple, dict] = {}
    for item in sorted(kept, key=lambda i: float(i.get("tierMinimumUnits", 0))):
        meter = (item.get("meterName"), item.get("productName"), item.get("skuName"))
        first_tier.setdefault(meter, item)
    prices = sorted(
        {round(float(i["retailPrice"]) / unit_quantity(rule.unit), 10) for i in first_tier.values()}
    )
    if len(prices) > 1:
        meters = "; ".join(sorted(f"{m[0]} / {m[1]} / {m[2]}" for m in first_tier))
        return f"{len(prices)} different prices {prices} from meters {meters}: narrow the rule"
    return prices[0]


def refresh_table(
    table: dict, get: Callable[[str], dict], api_url: str, today: str, keep_missing: bool = False
) -> tuple[dict, dict[str, str]]:
    """A new table with every key re-priced from the API behind ``get``; returns (table, {missing: why})."""
    cache: dict[str, list[dict]] = {}

    def lookup(key: str, entry: dict) -> dict | str:
        rule = rule_for(key)
        if rule is None:
            return "no rule in scripts/refresh_azure_prices.py for this key"
        odata = odata_filter(rule, table["region"])
        url = query_url(api_url, odata)
        if url not in cache:
            cache[url] = items(url, get)
        usd = pick_price(rule, cache[url])
        if isinstance(usd, str):
            return usd
        return {"usd": usd, "unit": entry["unit"], "source": rule.page, "filter": odata}

    return reprice(table, lookup, today, METHOD, keep_missing)


def main(argv: Iterable[str] | None = None) -> int:
    arguments = parser(__doc__, PRICES_DIR)
    arguments.add_argument("--api-url", default=os.environ.get("MLGEN_AZURE_PRICES_URL", API_URL))
    args = arguments.parse_args(list(argv) if argv is not None else None)
    today = today_iso()

    def refresh_region(template: dict, keep_missing: bool) -> tuple[dict, dict[str, str]]:
        return refresh_table(template, get_json, args.api_url, today, keep_missing)

    return run(args.regions, args.prices_dir, "eastus", refresh_region, args.keep_missing)


if __name__ == "__main__":
    sys.exit(main())
