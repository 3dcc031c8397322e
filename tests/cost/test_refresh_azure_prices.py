"""scripts/refresh_azure_prices.py against a loopback Retail Prices API (the documented Items/NextPageLink
shape, two items a page, $filter honoured): the table it writes, its errors, and that mlgen cost loads it.
Wall time: about 1 s.
"""

from __future__ import annotations

import json
import shutil
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from scripts import refresh_azure_prices as script
from tests.conftest import REPO_ROOT
from tests.cost.loopback import serve

from mlgen.cli import main as mlgen
from mlgen.cost.prices import load_price_table
from mlgen.cost.refresh import today_iso

COMMITTED = REPO_ROOT / "generator/mlgen/clouds/azure/prices"
PAGE = "https://azure.microsoft.com/pricing/details/"


def _item(region: str, service: str, meter: str, unit: str, price: float, **more: object) -> dict:
    return {
        "currencyCode": "USD",
        "tierMinimumUnits": 0.0,
        "retailPrice": price,
        "unitPrice": price,
        "armRegionName": region,
        "location": region,
        "meterName": meter,
        "productName": service,
        "skuName": "Standard",
        "serviceName": service,
        "armSkuName": "",
        "unitOfMeasure": unit,
        "type": "Consumption",
        "isPrimaryMeterRegion": True,
        **more,
    }


def _vm(region: str, size: str, price: float) -> list[dict]:
    short = size.removeprefix("Standard_").replace("_", " ")
    series = f"Virtual Machines {short.split()[0]} Series"
    base = {"armSkuName": size, "skuName": short, "productName": series}
    return [
        # Same armSkuName, not what the table prices: spot, low priority, Windows, dev/test; the Linux
        # pay-as-you-go meter comes last, on the third page, so that pagination has to be followed.
        _item(
            region,
            "Virtual Machines",
            f"{short} Spot",
            "1 Hour",
            price / 5,
            **{**base, "skuName": f"{short} Spot"},
        ),
        _item(region, "Virtual Machines", f"{short} Low Priority", "1 Hour", price / 4, **base),
        _item(
            region,
            "Virtual Machines",
            short,
            "1 Hour",
            price * 2,
            **{**base, "productName": f"{series} Windows"},
        ),
        _item(
            region, "Virtual Machines", short, "1 Hour", price / 2, **{**base, "type": "DevTestConsumption"}
        ),
        _item(region, "Virtual Machines", short, "1 Hour", price, **base),
    ]


def catalog(region: str, factor: float, without: tuple[str, ...] = ()) -> list[dict]:
    """What the API would list for the region, prices scaled by ``factor``; ``without``: services left out."""

    def p(value: float) -> float:
        return round(value * factor, 6)

    link = "Virtual Network Private Link"
    items = [
        _item(region, "Container Registry", "Premium Registry Unit", "1/Day", p(2.0), skuName="Premium"),
        _item(region, "Container Registry", "Basic Registry Unit", "1/Day", p(0.2), skuName="Basic"),
        _item(
            region,
            "Key Vault",
            "Premium HSM-protected RSA 2048-bit keys",
            "1/Month",
            p(1.25),
            skuName="Premium",
        ),
        # Log Analytics lists the free allotment as a zero tier: the paid tier is the table's price.
        _item(region, "Log Analytics", "Pay-as-you-go Data Ingestion", "1 GB", 0.0),
        _item(region, "Log Analytics", "Pay-as-you-go Data Ingestion", "1 GB", p(2.5), tierMinimumUnits=5.0),
        _item(region, "Azure Monitor", "Alerts Log Monitoring at 15 Minute Frequency", "1/Month", p(1.6)),
        _item(region, "Azure Monitor", "Alerts Metrics Monitored", "1/Month", p(0.12)),
        _item(region, "Virtual Network", "Standard Private Endpoint", "1 Hour", p(0.011), productName=link),
        _item(
            region, "Virtual Network", "Standard Data Processed - Ingress", "1 GB", p(0.012), productName=link
        ),
        _item(
            region, "Virtual Network", "Standard Data Processed - Egress", "1 GB", p(0.012), productName=link
        ),
        _item(
            region,
            "Storage",
            "Hot ZRS Data Stored",
            "1 GB/Month",
            p(0.026),
            productName="Azure Data Lake Storage Gen2 Hierarchical Namespace",
        ),
        _item(
            region,
            "Storage",
            "Hot LRS Data Stored",
            "1 GB/Month",
            p(0.021),
            productName="Azure Data Lake Storage Gen2 Hierarchical Namespace",
        ),
    ]
    for size, price in (
        ("Standard_DS3_v2", 0.3),
        ("Standard_F8s_v2", 0.35),
        ("Standard_NC4as_T4_v3", 0.55),
        ("Standard_NC64as_T4_v3", 4.5),
    ):
        items += _vm(region, size, p(price))
    return [item for item in items if item["serviceName"] not in without]


# Azure DNS bills by zone, not by region: listed once, outside any region.
DNS = [
    _item("Zone 1", "Azure DNS", "Private Zone", "1/Month", 0.55),
    _item("Zone 1", "Azure DNS", "Public Zone", "1/Month", 0.5),
]


def _fake(items: list[dict], per_page: int = 2):
    def respond(path: str) -> tuple[int, dict]:
        url = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path != "/api/retail/prices" or query.get("api-version") != script.API_VERSION:
            return 404, {"Error": {"Code": "NotFound", "Message": path}}
        clauses = [clause.split(" eq ") for clause in query["$filter"].split(" and ")]
        wanted = {("type" if name == "priceType" else name): value.strip("'") for name, value in clauses}
        matched = [i for i in items if all(str(i.get(k)) == v for k, v in wanted.items())]
        skip = int(query.get("$skip", 0))
        page = matched[skip : skip + per_page]
        more = skip + per_page < len(matched)
        next_query = urllib.parse.urlencode({**query, "$skip": skip + per_page})
        base = f"http://{path_host[0]}{url.path}"
        return 200, {
            "BillingCurrency": "USD",
            "CustomerEntityId": "Default",
            "CustomerEntityType": "Retail",
            "Items": page,
            "NextPageLink": f"{base}?{next_query}" if more else None,
            "Count": len(page),
        }

    path_host: list[str] = []
    return respond, path_host


@pytest.fixture
def prices_dir(tmp_path: Path) -> Path:
    target = tmp_path / "prices"
    shutil.copytree(COMMITTED, target)
    return target


def _run(items: list[dict], prices_dir: Path, *args: str) -> tuple[int, list[str]]:
    respond, host = _fake(items)
    with serve(respond) as (base, seen):
        host.append(base.removeprefix("http://"))
        status = script.main(
            ["--api-url", f"{base}/api/retail/prices", "--prices-dir", str(prices_dir), *args]
        )
    return status, seen


def test_every_key_is_repriced_from_the_api_with_unit_source_and_date(prices_dir: Path) -> None:
    items = catalog("eastus", 1.0) + catalog("westeurope", 1.1) + DNS
    status, seen = _run(items, prices_dir, "eastus", "westeurope")
    assert status == 0
    assert any("%24skip=" in path or "$skip=" in path for path in seen), "pagination was not followed"
    east = json.loads((prices_dir / "eastus.json").read_text())
    west = json.loads((prices_dir / "westeurope.json").read_text())
    committed = json.loads((COMMITTED / "eastus.json").read_text())
    assert east["compiled"] == west["compiled"] == today_iso()
    assert "Retail Prices API" in east["method"]
    assert sorted(east["prices"]) == sorted(committed["prices"])
    usd = {key: entry["usd"] for key, entry in east["prices"].items()}
    assert usd == {
        "acr.premium_day": 2.0,
        "key_vault.hsm_key_month": 1.25,
        "log_analytics.ingest_gb": 2.5,
        "monitor.log_alert_month": 1.6,
        "monitor.metric_alert_month": 0.12,
        "private_dns.zone_month": 0.55,
        "private_endpoint.gb": 0.012,
        "private_endpoint.hour": 0.011,
        "storage.adls_hot_gb_month": 0.026,
        "vm.Standard_DS3_v2": 0.3,
        "vm.Standard_F8s_v2": 0.35,
        "vm.Standard_NC4as_T4_v3": 0.55,
        "vm.Standard_NC64as_T4_v3": 4.5,
    }
    assert west["prices"]["vm.Standard_NC4as_T4_v3"]["usd"] == round(0.55 * 1.1, 6)
    for key, entry in east["prices"].items():
        assert entry["unit"] == committed["prices"][key]["unit"]
        assert entry["source"].startswith(PAGE)
        assert "armRegionName eq 'eastus'" in entry["filter"] or key == "private_dns.zone_month"
    assert east["prices"]["vm.Standard_DS3_v2"]["filter"] == (
        "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and priceType eq 'Consumption' "
        "and armSkuName eq 'Standard_DS3_v2'"
    )
    assert east["prices"]["vm.Standard_DS3_v2"]["source"] == PAGE + "virtual-machines/linux/"
    assert east["prices"]["private_endpoint.hour"]["source"] == PAGE + "private-link/"
    # Same prices, same bytes.
    before = (prices_dir / "eastus.json").read_bytes()
    assert _run(items, prices_dir, "eastus")[0] == 0
    assert (prices_dir / "eastus.json").read_bytes() == before


def test_missing_keys_are_listed_and_the_table_is_left_alone(prices_dir: Path, capsys) -> None:
    before = (prices_dir / "eastus.json").read_bytes()
    status, _ = _run(catalog("eastus", 1.0, without=("Key Vault",)) + DNS, prices_dir, "eastus")
    assert status == 1
    err = capsys.readouterr().err
    assert "eastus: no price found for 1 key(s):" in err
    assert "key_vault.hsm_key_month: no paid Consumption item" in err
    assert (prices_dir / "eastus.json").read_bytes() == before


def test_keep_missing_carries_the_old_entry(prices_dir: Path) -> None:
    old = json.loads((prices_dir / "eastus.json").read_text())["prices"]["key_vault.hsm_key_month"]
    status, _ = _run(
        catalog("eastus", 1.0, without=("Key Vault",)) + DNS, prices_dir, "--keep-missing", "eastus"
    )
    assert status == 0
    table = json.loads((prices_dir / "eastus.json").read_text())
    assert table["prices"]["key_vault.hsm_key_month"] == old
    assert table["prices"]["acr.premium_day"]["usd"] == 2.0


def test_two_prices_for_one_key_is_an_error_not_a_guess(prices_dir: Path, capsys) -> None:
    items = catalog("eastus", 1.0) + DNS
    items.append(
        _item("eastus", "Container Registry", "Premium Registry Unit", "1/Day", 3.0, skuName="Premium Geo")
    )
    assert _run(items, prices_dir, "eastus")[0] == 1
    assert "acr.premium_day: 2 different prices [2.0, 3.0]" in capsys.readouterr().err


def test_an_unreachable_api_is_one_message_and_exit_1(prices_dir: Path, capsys) -> None:
    status = script.main(["--api-url", "http://127.0.0.1:9/none", "--prices-dir", str(prices_dir), "eastus"])
    assert status == 1
    assert "eastus: cannot read http://127.0.0.1:9/none" in capsys.readouterr().err


def test_the_refreshed_tables_price_the_examples_in_mlgen_cost(prices_dir: Path, monkeypatch) -> None:
    items = catalog("eastus", 1.0) + catalog("westeurope", 1.1) + DNS
    assert _run(items, prices_dir, "eastus", "westeurope")[0] == 0
    monkeypatch.setattr("mlgen.clouds.azure.costing.PRICES_DIR", prices_dir)
    load_price_table.cache_clear()
    try:
        for example, region in (("azure-starter", "eastus"), ("azure-production", "westeurope")):
            spec = REPO_ROOT / "examples" / example / "mlgen.yaml"
            result = CliRunner().invoke(mlgen, ["cost", "--spec", str(spec), "--format", "json"])
            assert result.exit_code == 0, result.output
            data = json.loads(result.output)
            assert [t["compiled"] for t in data["price_tables"]] == [today_iso()]
            table = json.loads((prices_dir / f"{region}.json").read_text())["prices"]
            lines = [line for env in data["environments"] for line in env["idle"] + env["usage"]]
            priced = [line for line in lines if line["status"] == "priced"]
            assert priced
            for line in priced:
                usd = table[line["price_key"]]["usd"]
                # Training at low priority is the scenario's assumed 70 % off the dedicated price.
                expected = usd * 0.3 if "low priority −70 %" in line["basis"] else usd
                assert line["unit_price"] == pytest.approx(expected, abs=1e-4), line
            assert {line["price_key"] for line in priced} >= {"acr.premium_day", "private_endpoint.hour"}
    finally:
        load_price_table.cache_clear()


def test_every_committed_key_has_a_rule() -> None:
    for path in sorted(COMMITTED.glob("*.json")):
        keys = json.loads(path.read_text())["prices"]
        assert [key for key in keys if script.rule_for(key) is None] == [], path.name
