"""scripts/refresh_aws_prices.py on an offer document in the Price List bulk API's format (offline).

Downloading needs the network and is not tested here; the matching and the table it writes are.
Wall time: under 1 s.
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
