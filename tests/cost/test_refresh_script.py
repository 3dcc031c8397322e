"""scripts/refresh_aws_prices.py on offer documents in the Price List bulk API's format (offline).

The matching and the table it writes, then main() end to end against offer files on loopback (the real
AWS download needs the network and is not tested here). Wall time: under 1 s.
"""

from __future__ import annotations

import json

from scripts.refresh_aws_prices import on_demand_price, refresh_table, rule_for
from tests.conftest import REPO_ROOT


def _offer(products: dict[str, str], prices: dict[str, list[tuple[str, str]]]) -> dict:
    """products: sku -> usagetype; prices: sku -> [(beginRange, USD), ...]."""
    return {
        "products": {
            sku: {"sku": sku, "attributes": {"usagetype": usage}} for sku, usage in products.items()
        },
        "terms": {
            "OnDemand": {
                sku: {
                    f"{sku}.JRTCKXETXF": {
                        "priceDimensions": {
                            f"{sku}.{i}": {"beginRange": begin, "unit": "Hrs", "pricePerUnit": {"USD": usd}}
                            for i, (begin, usd) in enumerate(tiers)
                        }
                    }
                }
                for sku, tiers in prices.items()
            }
        },
    }


def test_the_first_tier_of_the_matching_usage_type_is_taken_with_or_without_region_prefix() -> None:
    offer = _offer(
        {"A": "EU-NatGateway-Hours", "B": "EU-NatGateway-Bytes", "C": "EU-VpcEndpoint-Bytes"},
        {"A": [("0", "0.0480000000")], "B": [("0", "0.048")], "C": [("1048576", "0.006"), ("0", "0.01")]},
    )
    assert on_demand_price(offer, rule_for("nat_gateway.hour")[1]) == 0.048
    assert on_demand_price(offer, rule_for("vpc_endpoint.gb")[1]) == 0.01
    assert on_demand_price(offer, rule_for("kms.key_month")[1]) is None


def test_refresh_reprices_known_keys_dates_the_table_and_reports_the_missing() -> None:
    table = json.loads((REPO_ROOT / "generator/mlgen/clouds/aws/prices/us-east-1.json").read_text())
    offers = {
        "AmazonEC2": _offer({"N": "NatGateway-Hours"}, {"N": [("0", "0.05")]}),
        "AmazonSageMaker": _offer({"S": "USE1-Host:ml.m5.large"}, {"S": [("0", "0.12")]}),
    }
    refreshed, missing = refresh_table(table, lambda code: offers.get(code, {}), "2027-01-15")
    assert refreshed["compiled"] == "2027-01-15"
    assert refreshed["prices"]["nat_gateway.hour"]["usd"] == 0.05
    assert refreshed["prices"]["sagemaker.hosting.ml.m5.large"]["usd"] == 0.12
    assert "kms.key_month" in missing and "kms.key_month" not in refreshed["prices"]
    kept, _ = refresh_table(table, lambda code: offers.get(code, {}), "2027-01-15", keep_missing=True)
    assert kept["prices"]["kms.key_month"] == table["prices"]["kms.key_month"]
    assert all(rule_for(key) is not None for key in table["prices"]), (
        "a committed key the script cannot refresh"
    )


# The whole script, main() to file, against offer files served on loopback (eu-west-1: usage types
# carry the "EU-" prefix). Which usage type prices which key is this table, written from the Price List.
USAGE = {
    "cloudwatch.alarm_month": ("AmazonCloudWatch", "EU-CW:AlarmMonitorUsage"),
    "cloudwatch.dashboard_month": ("AmazonCloudWatch", "EU-DashboardsUsageHour"),
    "cloudwatch.logs_ingest_gb": ("AmazonCloudWatch", "EU-DataProcessing-Bytes"),
    "cloudwatch.logs_storage_gb_month": ("AmazonCloudWatch", "EU-TimedStorage-ByteHrs"),
    "ecr.storage_gb_month": ("AmazonECR", "EU-TimedStorage-ByteHrs"),
    "kms.key_month": ("awskms", "EU-KMS-Keys"),
    "nat_gateway.gb": ("AmazonEC2", "EU-NatGateway-Bytes"),
    "nat_gateway.hour": ("AmazonEC2", "EU-NatGateway-Hours"),
    "s3.standard_gb_month": ("AmazonS3", "EU-TimedStorage-ByteHrs"),
    "sagemaker.serverless_inference.gb_second": ("AmazonSageMaker", "EU-ServerlessInf:Mem-1GB"),
    "vpc.public_ipv4_hour": ("AmazonVPC", "EU-PublicIPv4:InUseAddress"),
    "vpc_endpoint.gb": ("AmazonVPC", "EU-VpcEndpoint-Bytes"),
    "vpc_endpoint.interface_az_hour": ("AmazonVPC", "EU-VpcEndpoint-Hours"),
}


def _served_offers(keys: list[str], without: str = "") -> dict[str, dict]:
    products: dict[str, dict[str, dict]] = {}
    prices: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for n, key in enumerate(sorted(keys)):
        if key in USAGE:
            offer, attributes = USAGE[key][0], {"usagetype": USAGE[key][1]}
        elif key.startswith("ec2.on_demand."):
            offer = "AmazonEC2"
            attributes = {
                "usagetype": "EU-BoxUsage:" + key.removeprefix("ec2.on_demand."),
                "instanceType": key.removeprefix("ec2.on_demand."),
                "operatingSystem": "Linux",
                "tenancy": "Shared",
                "preInstalledSw": "NA",
                "capacitystatus": "Used",
            }
        elif key.startswith("sagemaker.mlflow_tracking_server."):
            offer, attributes = "AmazonSageMaker", {"usagetype": "EU-MLflow-" + key.rsplit(".", 1)[1]}
        else:
            component = "Host" if key.startswith("sagemaker.hosting.") else "Train"
            instance = key.split(".", 2)[2]
            offer, attributes = "AmazonSageMaker", {"usagetype": f"EU-{component}:{instance}"}
        sku = f"SKU{n:03d}"
        products.setdefault(offer, {})
        prices.setdefault(offer, {})
        if key == without:  # the offer is still published, without this product
            continue
        products[offer][sku] = {"sku": sku, "attributes": attributes}
        prices.setdefault(offer, {})[sku] = [("0", f"{(n + 1) / 1000:.10f}")]
    served = {}
    for offer, offer_products in products.items():
        built = _offer({}, prices[offer])
        built["products"] = offer_products
        served[offer] = built
    return served


def _main(served: dict[str, dict], prices_dir, *args: str) -> int:
    from scripts.refresh_aws_prices import main
    from tests.cost.loopback import serve

    def respond(path: str) -> tuple[int, dict]:
        offer = path.split("/")[2]
        return (200, served[offer]) if offer in served else (404, {"message": "no such offer"})

    with serve(respond) as (base, _):
        url = base + "/offers/{offer}/{region}/index.json"
        return main(["--offer-url", url, "--prices-dir", str(prices_dir), *args])


def test_main_writes_the_region_table_and_refuses_a_partial_one(tmp_path, capsys) -> None:
    from mlgen.cost.prices import load_price_table
    from mlgen.cost.refresh import today_iso

    committed = REPO_ROOT / "generator/mlgen/clouds/aws/prices"
    for name in ("us-east-1.json", "eu-west-1.json"):
        (tmp_path / name).write_text((committed / name).read_text())
    keys = sorted(json.loads((committed / "eu-west-1.json").read_text())["prices"])
    before = (tmp_path / "eu-west-1.json").read_bytes()
    assert _main(_served_offers(keys, without="kms.key_month"), tmp_path, "eu-west-1") == 1
    assert "kms.key_month: no on-demand product in offer awskms matched" in capsys.readouterr().err
    assert (tmp_path / "eu-west-1.json").read_bytes() == before

    assert _main(_served_offers(keys), tmp_path, "eu-west-1") == 0
    table = json.loads((tmp_path / "eu-west-1.json").read_text())
    assert table["compiled"] == today_iso() and table["region"] == "eu-west-1"
    assert {key: entry["usd"] for key, entry in table["prices"].items()} == {
        key: (n + 1) / 1000 for n, key in enumerate(keys)
    }
    assert load_price_table.__wrapped__(tmp_path / "eu-west-1.json").prices["kms.key_month"].usd > 0
