"""Refresh the committed GCP price tables from the Cloud Billing Catalog API (needs network access).

    export GCP_BILLING_API_KEY=...      # an API key of any project with the Cloud Billing API enabled
    python scripts/refresh_gcp_prices.py us-central1 europe-west4
    python scripts/refresh_gcp_prices.py --keep-missing europe-west1    # new region from us-central1's keys

The Catalog API (https://cloudbilling.googleapis.com/v1) lists the public services (GET /services, to find
each service's id by its display name) and each service's SKUs (GET /services/{id}/skus?currencyCode=USD),
both paged by nextPageToken. A key's price is the sum of its components (Cloud SQL and Vertex AI bill
vCPU, memory and GPU separately): each component is the one OnDemand SKU of its service whose description
matches, whose serviceRegions hold the region (or "global") and whose usageUnit is the expected one, at its
first paid tier (units + nanos / 1e9). RULES say how each key is found; --api-url (or
MLGEN_GCP_BILLING_URL) points the script at another server (the tests' loopback fake). Missing keys are
listed with why and the script exits 1, unless --keep-missing. The API key is never written anywhere.
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

PRICES_DIR = Path(__file__).resolve().parents[1] / "generator/mlgen/clouds/gcp/prices"
API_URL = "https://cloudbilling.googleapis.com/v1"
API_KEY_ENV = "GCP_BILLING_API_KEY"
METHOD = (
    "Public on-demand list prices from the Cloud Billing Catalog API, written by "
    "scripts/refresh_gcp_prices.py (Cloud SQL and Vertex AI machines: vCPU + memory (+ GPU) SKUs summed); "
    "each entry's skus name the SKUs (service id/SKU id description) it was read from."
)
# Commitments, spot/preemptible capacity and the other Cloud SQL edition share descriptions' words.
EXCLUDE = r"Commitment|Preemptible|Spot|Enterprise Plus"


@dataclass(frozen=True)
class Component:
    service: str  # the service's displayName in the catalog
    description: str  # regular expression searched in the SKU's description
    usage_unit: str  # pricingExpression.usageUnit the price is per (h, GiBy.h, GiBy.mo, GiBy, mo)
    quantity: float = 1.0  # how many usage units one table unit is (vCPUs, GiB of memory, GPUs)


@dataclass(frozen=True)
class Rule:
    components: tuple[Component, ...]
    page: str  # the public price page, the entry's source


def _one(service: str, description: str, unit: str, page: str) -> Rule:
    return Rule((Component(service, description, unit),), page)


# SKU descriptions as the GCP price pages name them, compiled offline: the first online run reports any
# key whose components match no SKU or more than one price (exit 1), which is the check.
RULES: dict[str, Rule] = {
    "artifactregistry.storage_gb_month": _one(
        "Artifact Registry",
        r"^Artifact Registry Storage",
        "GiBy.mo",
        "https://cloud.google.com/artifact-registry/pricing",
    ),
    "cloudsql.ssd_gb_month": _one(
        "Cloud SQL",
        r"^Cloud SQL for PostgreSQL: Zonal - Standard storage",
        "GiBy.mo",
        "https://cloud.google.com/sql/pricing",
    ),
    "dns.managed_zone_month": _one(
        "Cloud DNS", r"^ManagedZone", "mo", "https://cloud.google.com/dns/pricing"
    ),
    "gcs.standard_gb_month": _one(
        "Cloud Storage",
        r"^Standard Storage (?!.*(Multi|Dual)-[Rr]egion)",
        "GiBy.mo",
        "https://cloud.google.com/storage/pricing",
    ),
    "kms.key_version_month": _one(
        "Cloud Key Management Service (KMS)",
        r"^Active software symmetric key versions",
        "mo",
        "https://cloud.google.com/kms/pricing",
    ),
    "monitoring.alert_condition_month": _one(
        "Cloud Monitoring",
        r"^Alerting Policy Condition",
        "mo",
        "https://cloud.google.com/stackdriver/pricing",
    ),
    "nat.gb": _one(
        "Compute Engine", r"^NAT Gateway: Data processing", "GiBy", "https://cloud.google.com/nat/pricing"
    ),
}

# vCPUs and GiB of memory of the machine shapes the keys name (family-size); GPUs by the keys' short name.
MEMORY_PER_VCPU = {"n1-standard": 3.75, "n2-standard": 4.0, "n1-highmem": 6.5, "n2-highmem": 8.0}
GPUS = {"t4": "Nvidia Tesla T4", "v100": "Nvidia Tesla V100", "l4": "Nvidia L4", "a100": "Nvidia Tesla A100"}
VERTEX_PAGE = "https://cloud.google.com/vertex-ai/pricing"


def _machine(machine: str) -> tuple[str, int, float] | None:
    """n1-standard-8 -> ("N1", 8, 30.0)."""
    match = re.fullmatch(r"([a-z0-9]+-[a-z]+)-(\d+)", machine)
    if not match or match.group(1) not in MEMORY_PER_VCPU:
        return None
    vcpus = int(match.group(2))
    return match.group(1).split("-")[0].upper(), vcpus, vcpus * MEMORY_PER_VCPU[match.group(1)]


def _vertex(kind: str, machine: str) -> list[Component] | None:
    shape = _machine(machine)
    if shape is None:
        return None
    family, vcpus, memory = shape
    return [
        Component("Vertex AI", rf"^{kind}.*\b{family} .*Core", "h", vcpus),
        Component("Vertex AI", rf"^{kind}.*\b{family} .*Ram", "GiBy.h", memory),
    ]


def rule_for(key: str) -> Rule | None:
    """How a price key is found in the Catalog API; None for a key this script does not know."""
    if key in RULES:
        return RULES[key]
    if match := re.fullmatch(r"cloudsql\.db-custom-(\d+)-(\d+)\.hour", key):
        vcpus, memory_mb = int(match.group(1)), int(match.group(2))
        prefix = r"^Cloud SQL for PostgreSQL: Zonal - "
        return Rule(
            (
                Component("Cloud SQL", prefix + "vCPU", "h", vcpus),
                Component("Cloud SQL", prefix + "RAM", "GiBy.h", memory_mb / 1024),
            ),
            "https://cloud.google.com/sql/pricing",
        )
    if match := re.fullmatch(r"vertex\.prediction\.([a-z0-9-]+)\.hour", key):
        components = _vertex("Online Prediction", match.group(1))
        return Rule(tuple(components), VERTEX_PAGE) if components else None
    if match := re.fullmatch(r"vertex\.training\.([a-z0-9-]+)\.(\d+)x([a-z0-9]+)\.hour", key):
        components = _vertex("Custom Training", match.group(1))
        gpu = GPUS.get(match.group(3))
        if not components or gpu is None:
            return None
        gpus = Component("Vertex AI", rf"^Custom Training.*{gpu} GPU", "h", int(match.group(2)))
        return Rule((*components, gpus), VERTEX_PAGE)
    return None


class Catalog:
    """The Catalog API behind ``get``: service ids by display name and each service's SKUs, read once."""

    def __init__(self, api_url: str, api_key: str, get: Callable[[str], dict]) -> None:
        self.api_url, self.api_key, self.get = api_url.rstrip("/"), api_key, get
        self._services: dict[str, str] | None = None
        self._skus: dict[str, list[dict]] = {}

    def _pages(self, path: str, field: str, **query: str) -> list[dict]:
        found, token = [], ""
        while True:
            params = {"key": self.api_key, **query, **({"pageToken": token} if token else {})}
            page = self.get(f"{self.api_url}/{path}?{urllib.parse.urlencode(params)}")
            found += page.get(field, [])
            token = page.get("nextPageToken", "")
            if not token:
                return found

    def service_id(self, name: str) -> str | None:
        if self._services is None:
            self._services = {s["displayName"]: s["serviceId"] for s in self._pages("services", "services")}
        return self._services.get(name)

    def skus(self, service_id: str) -> list[dict]:
        if service_id not in self._skus:
            self._skus[service_id] = self._pages(f"services/{service_id}/skus", "skus", currencyCode="USD")
        return self._skus[service_id]


def sku_price(sku: dict, usage_unit: str) -> float | None:
    """The first paid tier's USD price per usage unit of the SKU's latest pricing, None if it has none."""
    infos = sorted(sku.get("pricingInfo", []), key=lambda info: info.get("effectiveTime", ""))
    if not infos:
        return None
    expression = infos[-1].get("pricingExpression", {})
    if expression.get("usageUnit") != usage_unit:
        return None
    for rate in sorted(expression.get("tieredRates", []), key=lambda r: float(r.get("startUsageAmount", 0))):
        money = rate.get("unitPrice", {})
        usd = int(money.get("units", 0) or 0) + int(money.get("nanos", 0) or 0) / 1e9
        if money.get("currencyCode", "USD") == "USD" and usd > 0:
            return usd
    return None


def component_price(catalog: Catalog, component: Component, region: str) -> tuple[float, str] | str:
    service_id = catalog.service_id(component.service)
    if service_id is None:
        return f"no service named {component.service!r} in the catalog"
    matches = {}
    for sku in catalog.skus(service_id):
        description = sku.get("description", "")
        if (
            re.search(component.description, description)
            and not re.search(EXCLUDE, description)
            and sku.get("category", {}).get("usageType", "OnDemand") == "OnDemand"
            and ({region, "global"} & set(sku.get("serviceRegions", [])))
        ):
            usd = sku_price(sku, component.usage_unit)
            if usd is not None:
                matches[sku.get("skuId", description)] = (usd, description)
    prices = {usd for usd, _ in matches.values()}
    if not prices:
        return (
            f"no OnDemand SKU of {component.service} in {region} matches /{component.description}/ "
            f"with a paid price per {component.usage_unit}"
        )
    if len(prices) > 1:
        named = "; ".join(f"{sku}: {desc}" for sku, (_, desc) in sorted(matches.items()))
        return f"{len(prices)} different prices match /{component.description}/ ({named}): narrow the rule"
    sku = min(matches)
    return matches[sku][0], f"{service_id}/{sku} {matches[sku][1]}"


def refresh_table(
    table: dict, catalog: Catalog, today: str, keep_missing: bool = False
) -> tuple[dict, dict[str, str]]:
    """A new table with every key re-priced from the catalog; returns (table, {missing key: why})."""

    def lookup(key: str, entry: dict) -> dict | str:
        rule = rule_for(key)
        if rule is None:
            return "no rule in scripts/refresh_gcp_prices.py for this key"
        total, skus = 0.0, []
        for component in rule.components:
            found = component_price(catalog, component, table["region"])
            if isinstance(found, str):
                return found
            total += found[0] * component.quantity
            skus.append(found[1])
        return {"usd": round(total, 6), "unit": entry["unit"], "source": rule.page, "skus": skus}

    return reprice(table, lookup, today, METHOD, keep_missing)


def main(argv: Iterable[str] | None = None) -> int:
    arguments = parser(__doc__, PRICES_DIR)
    arguments.add_argument("--api-url", default=os.environ.get("MLGEN_GCP_BILLING_URL", API_URL))
    args = arguments.parse_args(list(argv) if argv is not None else None)
    api_key = os.environ.get(API_KEY_ENV, "").strip()
    if not api_key:
        print(
            f"error: set {API_KEY_ENV} to an API key (Cloud Billing Catalog API: "
            "https://cloud.google.com/billing/v1/how-tos/catalog-api); the key is never written to a table",
            file=sys.stderr,
        )
        return 2
    catalog = Catalog(args.api_url, api_key, get_json)
    today = today_iso()

    def refresh_region(template: dict, keep_missing: bool) -> tuple[dict, dict[str, str]]:
        return refresh_table(template, catalog, today, keep_missing)

    return run(args.regions, args.prices_dir, "us-central1", refresh_region, args.keep_missing)


if __name__ == "__main__":
    sys.exit(main())
