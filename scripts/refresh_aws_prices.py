"""Refresh the committed AWS price tables from the AWS Price List bulk API (needs network access).

    python scripts/refresh_aws_prices.py us-east-1 eu-west-1        # rewrite the tables, today's date
    python scripts/refresh_aws_prices.py --keep-missing eu-west-1    # keep old entries the API lacks

For each region it downloads the offer files of the services mlgen's AWS landing zone bills under
(https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json; the
EC2 file is large), picks the on-demand price of every key already in the table (RULES say how a key
is matched: usage type and attributes), and writes generator/mlgen/clouds/aws/prices/<region>.json
with today's date. Keys it cannot match are listed and the script exits 1, unless --keep-missing
carries their previous values (the table's date then overstates their freshness: say so in review).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from mlgen.cost.refresh import get_json, parser, reprice, run, today_iso

PRICES_DIR = Path(__file__).resolve().parents[1] / "generator/mlgen/clouds/aws/prices"
METHOD = "On-demand prices from the AWS Price List bulk API, written by scripts/refresh_aws_prices.py."
OFFER_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/{offer}/current/{region}/index.json"

Product = dict[str, str]  # the product's attributes plus its usagetype
Rule = tuple[str, Callable[[Product], bool]]  # (offer code, does this product price the key?)


def _usage(suffix: str) -> Callable[[Product], bool]:
    # Usage types carry a region prefix outside us-east-1 (e.g. "EU-NatGateway-Hours").
    pattern = re.compile(rf"(^|-){re.escape(suffix)}$")
    return lambda product: bool(pattern.search(product.get("usagetype", "")))


def _sagemaker(component: str, instance: str) -> Callable[[Product], bool]:
    return lambda product: product.get("usagetype", "").endswith(f"{component}:{instance}")


def _ec2(instance: str) -> Callable[[Product], bool]:
    wanted = {
        "instanceType": instance,
        "operatingSystem": "Linux",
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
    }
    return lambda product: all(product.get(key) == value for key, value in wanted.items())


def rule_for(key: str) -> Rule | None:
    """How a price key is found in the offer files; None for a key this script does not know."""
    fixed: dict[str, Rule] = {
        "nat_gateway.hour": ("AmazonEC2", _usage("NatGateway-Hours")),
        "nat_gateway.gb": ("AmazonEC2", _usage("NatGateway-Bytes")),
        "vpc_endpoint.interface_az_hour": ("AmazonVPC", _usage("VpcEndpoint-Hours")),
        "vpc_endpoint.gb": ("AmazonVPC", _usage("VpcEndpoint-Bytes")),
        "vpc.public_ipv4_hour": ("AmazonVPC", _usage("PublicIPv4:InUseAddress")),
        "kms.key_month": ("awskms", _usage("KMS-Keys")),
        "cloudwatch.alarm_month": ("AmazonCloudWatch", _usage("CW:AlarmMonitorUsage")),
        "cloudwatch.dashboard_month": ("AmazonCloudWatch", _usage("DashboardsUsageHour")),
        "cloudwatch.logs_ingest_gb": ("AmazonCloudWatch", _usage("DataProcessing-Bytes")),
        "cloudwatch.logs_storage_gb_month": ("AmazonCloudWatch", _usage("TimedStorage-ByteHrs")),
        "s3.standard_gb_month": ("AmazonS3", _usage("TimedStorage-ByteHrs")),
        "ecr.storage_gb_month": ("AmazonECR", _usage("TimedStorage-ByteHrs")),
        "sagemaker.serverless_inference.gb_second": ("AmazonSageMaker", _usage("ServerlessInf:Mem-1GB")),
    }
    if key in fixed:
        return fixed[key]
    for prefix, component in (("sagemaker.hosting.", "Host"), ("sagemaker.training.", "Train")):
        if key.startswith(prefix):
            return "AmazonSageMaker", _sagemaker(component, key.removeprefix(prefix))
    if key.startswith("sagemaker.mlflow_tracking_server."):
        size = key.rsplit(".", 1)[1]
        return "AmazonSageMaker", lambda product: product.get("usagetype", "").endswith(f"MLflow-{size}")
    if key.startswith("ec2.on_demand."):
        return "AmazonEC2", _ec2(key.removeprefix("ec2.on_demand."))
    return None


def on_demand_price(offer: dict, matches: Callable[[Product], bool]) -> float | None:
    """The first-tier USD on-demand price of the first product that matches (by SKU order)."""
    for sku in sorted(offer.get("products", {})):
        raw = offer["products"][sku]
        product = {**raw.get("attributes", {}), "usagetype": raw.get("attributes", {}).get("usagetype", "")}
        if not matches(product):
            continue
        for term in offer.get("terms", {}).get("OnDemand", {}).get(sku, {}).values():
            dimensions = sorted(
                term.get("priceDimensions", {}).values(), key=lambda d: float(d.get("beginRange", "0") or 0)
            )
            for dimension in dimensions:
                usd = dimension.get("pricePerUnit", {}).get("USD")
                if usd is not None:
                    return float(usd)
    return None


def _lookup(offers: Callable[[str], dict]) -> Callable[[str, dict], dict | str]:
    def lookup(key: str, entry: dict) -> dict | str:
        rule = rule_for(key)
        if rule is None:
            return "no rule in scripts/refresh_aws_prices.py for this key"
        usd = on_demand_price(offers(rule[0]), rule[1])
        return {"usd": usd} if usd is not None else f"no on-demand product in offer {rule[0]} matched"

    return lookup


def refresh_table(
    table: dict, offers: Callable[[str], dict], today: str, keep_missing: bool = False
) -> tuple[dict, list[str]]:
    """A new table with every key re-priced from ``offers(offer_code)``; returns (table, missing keys)."""
    refreshed, missing = reprice(table, _lookup(offers), today, METHOD, keep_missing)
    return refreshed, sorted(missing)


def _download(region: str, offer_url: str = OFFER_URL) -> Callable[[str], dict]:
    cache: dict[str, dict] = {}

    def offer(code: str) -> dict:
        if code not in cache:
            cache[code] = get_json(offer_url.format(offer=code, region=region), timeout=600)
        return cache[code]

    return offer


def main(argv: Iterable[str] | None = None) -> int:
    arguments = parser(__doc__, PRICES_DIR)
    arguments.add_argument(
        "--offer-url",
        default=os.environ.get("MLGEN_AWS_OFFER_URL", OFFER_URL),
        help="offer file URL with {offer} and {region} (another server: the tests' loopback fake)",
    )
    args = arguments.parse_args(list(argv) if argv is not None else None)
    today = today_iso()

    def refresh_region(template: dict, keep_missing: bool) -> tuple[dict, dict[str, str]]:
        offers = _download(template["region"], args.offer_url)
        return reprice(template, _lookup(offers), today, METHOD, keep_missing)

    return run(args.regions, args.prices_dir, "us-east-1", refresh_region, args.keep_missing)


if __name__ == "__main__":
    sys.exit(main())
