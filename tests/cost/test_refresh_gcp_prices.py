"""scripts/refresh_gcp_prices.py against a loopback Cloud Billing Catalog API (the documented services and
skus shapes, two a page with nextPageToken, the API key checked): the table it writes, its errors, and
that mlgen cost loads it. Wall time: about 1 s.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from scripts import refresh_gcp_prices as script
from tests.conftest import REPO_ROOT
from tests.cost.loopback import serve

from mlgen.cli import main as mlgen
from mlgen.cost.prices import load_price_table
from mlgen.cost.refresh import today_iso

COMMITTED = REPO_ROOT / "generator/mlgen/clouds/gcp/prices"
API_KEY = "test-key-123"
SERVICES = {
    "Artifact Registry": "149C-F9EC-3994",
    "BigQuery": "24E6-581D-38E5",
    "Cloud DNS": "FA26-5236-A704",
    "Cloud Key Management Service (KMS)": "0E31-7E5A-1B7B",
    "Cloud Monitoring": "58CD-E7C3-72CA",
    "Cloud SQL": "9662-B51E-5089",
    "Cloud Storage": "95FF-2EF5-5EA1",
    "Compute Engine": "6F81-5844-456A",
    "Vertex AI": "C7E2-9256-1C43",
}


def _money(usd: float) -> dict:
    units = int(usd)
    return {"currencyCode": "USD", "units": str(units), "nanos": round((usd - units) * 1e9)}


def _sku(
    service: str,
    description: str,
    regions: list[str],
    unit: str,
    tiers: list[tuple[float, float]],
    usage: str = "OnDemand",
) -> dict:
    sku_id = f"{zlib.crc32(repr((service, description, regions, usage)).encode()):08X}"
    return {
        "name": f"services/{SERVICES[service]}/skus/{sku_id}",
        "skuId": sku_id,
        "description": description,
        "category": {
            "serviceDisplayName": service,
            "resourceFamily": "Compute",
            "resourceGroup": "Misc",
            "usageType": usage,
        },
        "serviceRegions": regions,
        "pricingInfo": [
            {
                "effectiveTime": "2026-11-01T00:00:00Z",
                "summary": "",
                "pricingExpression": {
                    "usageUnit": unit,
                    "usageUnitDescription": unit,
                    "baseUnit": unit,
                    "displayQuantity": 1,
                    "tieredRates": [
                        {"startUsageAmount": start, "unitPrice": _money(usd)} for start, usd in tiers
                    ],
                },
                "currencyConversionRate": 1,
            }
        ],
        "serviceProviderName": "Google",
    }


def skus(without: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """What the catalog lists per service id: us-central1 at base prices, europe-west4 at 110 %."""
    found: list[tuple[str, dict]] = []

    def add(service: str, *args, **kwargs) -> None:
        found.append((service, _sku(service, *args, **kwargs)))

    for region, geo, f in (("us-central1", "Americas", 1.0), ("europe-west4", "EMEA", 1.1)):

        def p(usd: float, f: float = f) -> float:
            return round(usd * f, 9)

        sql = "Cloud SQL for PostgreSQL: Zonal - "
        add("Cloud SQL", f"{sql}vCPU in {geo}", [region], "h", [(0, p(0.0413))])
        add("Cloud SQL", f"{sql}RAM in {geo}", [region], "GiBy.h", [(0, p(0.007))])
        add("Cloud SQL", f"{sql}Standard storage in {geo}", [region], "GiBy.mo", [(0, p(0.17))])
        add(
            "Cloud SQL",
            f"Cloud SQL for PostgreSQL: Regional - vCPU in {geo}",
            [region],
            "h",
            [(0, p(0.0826))],
        )
        add("Cloud SQL", f"{sql}vCPU in {geo}", [region], "h", [(0, p(0.03))], usage="Commit1Yr")
        # Artifact Registry's first 0.5 GB are free: the paid tier is the price.
        add("Artifact Registry", "Artifact Registry Storage", [region], "GiBy.mo", [(0, 0.0), (0.5, p(0.1))])
        add("Cloud Storage", f"Standard Storage {geo} region", [region], "GiBy.mo", [(0, p(0.02))])
        add("Cloud Storage", "Standard Storage Dual-region", [region, "us-east1"], "GiBy.mo", [(0, 0.022)])
        add("Compute Engine", "NAT Gateway: Data processing charge", [region], "GiBy", [(0, p(0.045))])
        add("Compute Engine", "NAT Gateway: Uptime charge", [region], "h", [(0, p(0.0014))])
        add(
            "Vertex AI",
            f"Online Prediction: N2 Instance Core running in {geo}",
            [region],
            "h",
            [(0, p(0.0315))],
        )
        add(
            "Vertex AI",
            f"Online Prediction: N2 Instance Ram running in {geo}",
            [region],
            "GiBy.h",
            [(0, p(0.0042))],
        )
        training = "Custom Training: N1 Predefined Instance "
        add("Vertex AI", f"{training}Core running in {geo}", [region], "h", [(0, p(0.0365))])
        add("Vertex AI", f"{training}Ram running in {geo}", [region], "GiBy.h", [(0, p(0.0049))])
        add(
            "Vertex AI",
            f"Custom Training: Nvidia Tesla T4 GPU running in {geo}",
            [region],
            "h",
            [(0, p(0.4025))],
        )
    add("Cloud DNS", "ManagedZone", ["global"], "mo", [(0, 0.2), (25, 0.1)])
    add(
        "Cloud Key Management Service (KMS)",
        "Active software symmetric key versions",
        ["global"],
        "mo",
        [(0, 0.06)],
    )
    add(
        "Cloud Key Management Service (KMS)",
        "Active HSM symmetric key versions",
        ["global"],
        "mo",
        [(0, 1.0)],
    )
    add("Cloud Monitoring", "Alerting Policy Condition", ["global"], "mo", [(0, 0.1)])
    add("BigQuery", "Analysis", ["global"], "TiBy", [(0, 6.25)])
    by_id: dict[str, list[dict]] = {SERVICES[name]: [] for name in SERVICES}
    for service, sku in found:
        if sku["description"] not in without:
            by_id[SERVICES[service]].append(sku)
    return by_id


EXPECTED_US = {
    "artifactregistry.storage_gb_month": 0.1,
    "cloudsql.db-custom-1-3840.hour": 0.0413 + 3.75 * 0.007,
    "cloudsql.db-custom-2-7680.hour": 2 * 0.0413 + 7.5 * 0.007,
    "cloudsql.db-custom-4-15360.hour": 4 * 0.0413 + 15 * 0.007,
    "cloudsql.ssd_gb_month": 0.17,
    "dns.managed_zone_month": 0.2,
    "gcs.standard_gb_month": 0.02,
    "kms.key_version_month": 0.06,
    "monitoring.alert_condition_month": 0.1,
    "nat.gb": 0.045,
    "vertex.prediction.n2-standard-2.hour": 2 * 0.0315 + 8 * 0.0042,
    "vertex.prediction.n2-standard-8.hour": 8 * 0.0315 + 32 * 0.0042,
    "vertex.training.n1-standard-8.1xt4.hour": 8 * 0.0365 + 30 * 0.0049 + 0.4025,
}


def _page(items: list[dict], query: dict[str, str]) -> tuple[list[dict], str]:
    start = int(query.get("pageToken") or 0)
    end = start + 2
    return items[start:end], (str(end) if end < len(items) else "")


def _fake(catalog: dict[str, list[dict]]):
    def respond(path: str) -> tuple[int, dict]:
        url = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if query.get("key") != API_KEY:
            return 403, {
                "error": {"code": 403, "message": "API key not valid.", "status": "PERMISSION_DENIED"}
            }
        if url.path == "/v1/services":
            listed = [
                {"name": f"services/{sid}", "serviceId": sid, "displayName": name, "businessEntityName": "x"}
                for name, sid in sorted(SERVICES.items())
            ]
            page, token = _page(listed, query)
            return 200, {"services": page, **({"nextPageToken": token} if token else {})}
        if match := re.fullmatch(r"/v1/services/([^/]+)/skus", url.path):
            if query.get("currencyCode") != "USD":
                return 400, {"error": {"code": 400, "message": "currencyCode", "status": "INVALID_ARGUMENT"}}
            page, token = _page(catalog.get(match.group(1), []), query)
            return 200, {"skus": page, "nextPageToken": token}
        return 404, {"error": {"code": 404, "message": path, "status": "NOT_FOUND"}}

    return respond


@pytest.fixture
def prices_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(script.API_KEY_ENV, API_KEY)
    target = tmp_path / "prices"
    shutil.copytree(COMMITTED, target)
    return target


def _run(catalog: dict[str, list[dict]], prices_dir: Path, *args: str) -> tuple[int, list[str]]:
    with serve(_fake(catalog)) as (base, seen):
        status = script.main(["--api-url", f"{base}/v1", "--prices-dir", str(prices_dir), *args])
    return status, seen


def test_every_key_is_repriced_from_the_catalog_with_unit_source_and_date(prices_dir: Path) -> None:
    status, seen = _run(skus(), prices_dir, "us-central1", "europe-west4")
    assert status == 0
    assert any("pageToken=" in path and "/services?" in path for path in seen)
    assert any("pageToken=" in path and "/skus?" in path for path in seen)
    us = json.loads((prices_dir / "us-central1.json").read_text())
    eu = json.loads((prices_dir / "europe-west4.json").read_text())
    committed = json.loads((COMMITTED / "us-central1.json").read_text())
    assert us["compiled"] == eu["compiled"] == today_iso()
    assert "Cloud Billing Catalog API" in us["method"]
    assert sorted(us["prices"]) == sorted(EXPECTED_US)
    for key, usd in EXPECTED_US.items():
        assert us["prices"][key]["usd"] == pytest.approx(usd, abs=1e-9), key
        assert us["prices"][key]["unit"] == committed["prices"][key]["unit"]
        assert us["prices"][key]["source"] == committed["prices"][key]["source"]
    assert eu["prices"]["nat.gb"]["usd"] == pytest.approx(0.045 * 1.1)
    assert eu["prices"]["kms.key_version_month"]["usd"] == 0.06  # global SKU, same everywhere
    training = us["prices"]["vertex.training.n1-standard-8.1xt4.hour"]["skus"]
    assert [s.split(" ", 1)[1] for s in training] == [
        "Custom Training: N1 Predefined Instance Core running in Americas",
        "Custom Training: N1 Predefined Instance Ram running in Americas",
        "Custom Training: Nvidia Tesla T4 GPU running in Americas",
    ]
    assert all(s.startswith(SERVICES["Vertex AI"] + "/") for s in training)
    text = (prices_dir / "us-central1.json").read_text()
    assert API_KEY not in text and "127.0.0.1" not in text
    assert _run(skus(), prices_dir, "us-central1")[0] == 0
    assert (prices_dir / "us-central1.json").read_text() == text, "same prices, same bytes"


def test_missing_keys_are_listed_and_the_table_is_left_alone(prices_dir: Path, capsys) -> None:
    before = (prices_dir / "us-central1.json").read_bytes()
    catalog = skus(without=("Custom Training: Nvidia Tesla T4 GPU running in Americas",))
    assert _run(catalog, prices_dir, "us-central1")[0] == 1
    err = capsys.readouterr().err
    assert "us-central1: no price found for 1 key(s):" in err
    assert "vertex.training.n1-standard-8.1xt4.hour: no OnDemand SKU of Vertex AI in us-central1" in err
    assert (prices_dir / "us-central1.json").read_bytes() == before


def test_keep_missing_carries_the_old_entry(prices_dir: Path) -> None:
    key = "vertex.training.n1-standard-8.1xt4.hour"
    old = json.loads((prices_dir / "us-central1.json").read_text())["prices"][key]
    catalog = skus(without=("Custom Training: Nvidia Tesla T4 GPU running in Americas",))
    assert _run(catalog, prices_dir, "--keep-missing", "us-central1")[0] == 0
    table = json.loads((prices_dir / "us-central1.json").read_text())
    assert table["prices"][key] == old
    assert table["prices"]["nat.gb"]["usd"] == 0.045


def test_without_an_api_key_it_says_which_variable_and_exits_2(prices_dir: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv(script.API_KEY_ENV)
    assert script.main(["--prices-dir", str(prices_dir), "us-central1"]) == 2
    assert f"set {script.API_KEY_ENV}" in capsys.readouterr().err


def test_a_rejected_key_is_one_message_without_the_key(prices_dir: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(script.API_KEY_ENV, "wrong-key-456")
    assert _run(skus(), prices_dir, "us-central1")[0] == 1
    err = capsys.readouterr().err
    assert "HTTP 403" in err and "API key not valid" in err
    assert "wrong-key-456" not in err


def test_the_refreshed_tables_price_the_examples_in_mlgen_cost(prices_dir: Path, monkeypatch) -> None:
    assert _run(skus(), prices_dir, "us-central1", "europe-west4")[0] == 0
    monkeypatch.setattr("mlgen.clouds.gcp.costing.PRICES_DIR", prices_dir)
    load_price_table.cache_clear()
    try:
        for example, region in (("gcp-starter", "us-central1"), ("gcp-production", "europe-west4")):
            spec = REPO_ROOT / "examples" / example / "mlgen.yaml"
            result = CliRunner().invoke(mlgen, ["cost", "--spec", str(spec), "--format", "json"])
            assert result.exit_code == 0, result.output
            data = json.loads(result.output)
            assert [t["compiled"] for t in data["price_tables"]] == [today_iso()]
            table = json.loads((prices_dir / f"{region}.json").read_text())["prices"]
            lines = [line for env in data["environments"] for line in env["idle"] + env["usage"]]
            priced = [line for line in lines if line["status"] == "priced"]
            assert {line["price_key"] for line in priced} >= {
                "kms.key_version_month",
                "gcs.standard_gb_month",
            }
            for line in priced:
                usd = table[line["price_key"]]["usd"]
                # Spot training is the scenario's assumed discount off the on-demand price.
                discount = re.search(r"spot −(\d+(?:\.\d+)?) %", line["basis"])
                expected = usd * (1 - float(discount.group(1)) / 100) if discount else usd
                assert line["unit_price"] == pytest.approx(expected, abs=1e-4), line
    finally:
        load_price_table.cache_clear()


def test_every_committed_key_has_a_rule() -> None:
    for path in sorted(COMMITTED.glob("*.json")):
        keys = json.loads(path.read_text())["prices"]
        assert [key for key in keys if script.rule_for(key) is None] == [], path.name
