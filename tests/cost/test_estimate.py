"""The estimate from the golden examples' specs: hand-checked lines, sums, direction of change, not-priced.

Wall time: about 2 s (pure Python, no subprocesses).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from tests.cost.conftest import EXAMPLES

from mlgen.clouds import get_adapter
from mlgen.clouds.aws import costing
from mlgen.cost import estimate_plan
from mlgen.cost.model import NOT_PRICED, PRICED
from mlgen.cost.prices import STALE_AFTER_DAYS, load_price_table


def table(region: str):
    return load_price_table(get_adapter("aws").price_table_path(region))


def lines_by_what(env_estimate, kind: str = "idle") -> dict[str, float]:
    return {line.what: line.monthly for line in getattr(env_estimate, kind)}


def test_starter_idle_lines_match_the_hand_computed_figures(make_plan) -> None:
    (dev,) = estimate_plan(make_plan("starter")).environments
    # Checked by hand against prices/us-east-1.json (2026-12-03):
    assert lines_by_what(dev) == {
        "interface VPC endpoints": 51.10,  # 7 endpoints × 1 zone × 730 h × 0.01
        "S3 gateway endpoint": 0.0,  # free
        "endpoint default (serverless)": 0.0,  # bills per request only
        "KMS keys": 2.00,  # 2 keys × 1.00
        "CloudWatch alarms": 0.20,  # p99 + error rate on the one variant × 0.10
        "CloudWatch dashboard": 3.00,
        "log ingestion": 0.50,  # 1 GB × 0.50
        "log storage": 0.03,  # 1 GB × 30/30 months × 0.03
        "monthly budget": 0.0,  # first two budgets of an account are free
    }
    assert dev.idle_total == 56.83
    # Usage: 4 runs × 24 h × ml.g4dn.xlarge 0.736 × (1 - 0.70 spot) = 21.20; 100k × 0.2 s × 2 GB × 0.00002 = 0.80
    usage = lines_by_what(dev, "usage")
    assert usage["training jobs ml.g4dn.xlarge"] == 21.20
    assert usage["endpoint default (serverless, 2048 MB)"] == 0.80


def test_production_idle_lines_match_the_hand_computed_figures(make_plan) -> None:
    envs = {env.name: env for env in estimate_plan(make_plan("production")).environments}
    # eu-west-1 prices: NAT 0.048/h, public IPv4 0.005/h, endpoint-AZ-hour 0.011, MLflow Small 0.66/h,
    # Medium 1.32/h, ml.m5.large 0.128/h, ml.c5.2xlarge 0.46/h.
    dev = lines_by_what(envs["dev"])
    assert dev["NAT gateways"] == 35.04  # 1 × 730 × 0.048
    assert dev["NAT public IPv4 addresses"] == 3.65  # 1 × 730 × 0.005
    assert dev["interface VPC endpoints"] == 112.42  # 7 × 2 zones × 730 × 0.011
    assert dev["MLflow tracking server (Small)"] == 481.80  # 730 × 0.66
    assert dev["endpoint default/primary ml.m5.large at min replicas"] == 93.44  # 1 × 730 × 0.128
    prod = lines_by_what(envs["prod"])
    assert prod["NAT gateways"] == 105.12  # 3 (per AZ) × 730 × 0.048
    assert prod["interface VPC endpoints"] == 168.63  # 7 × 3 zones × 730 × 0.011
    assert prod["MLflow tracking server (Medium)"] == 963.60  # 730 × 1.32
    # min 2 replicas split 90/10: blue ceil(1.8) = 2, green max(1, ceil(0.2)) = 1
    assert prod["endpoint default/blue ml.c5.2xlarge at min replicas"] == 671.60  # 2 × 730 × 0.46
    assert prod["endpoint default/green ml.c5.2xlarge at min replicas"] == 335.80
    assert prod["CloudWatch alarms"] == 0.60  # 2 variants × (p99, errors, CPU) × 0.10


@pytest.mark.parametrize("blueprint", sorted(EXAMPLES))
def test_every_priced_line_is_quantity_times_table_price_and_totals_are_sums(make_plan, blueprint) -> None:
    estimate = estimate_plan(make_plan(blueprint))
    for env in estimate.environments:
        prices = table(env.region).prices
        for line in [*env.idle, *env.usage]:
            assert line.status in (PRICED, "free"), line
            if line.status == PRICED:
                factor = line.unit_price / prices[line.price_key].usd
                assert 0 < factor <= 1
                assert line.monthly == round(line.quantity * prices[line.price_key].usd * factor, 2)
                assert line.source == prices[line.price_key].source and line.price_date == "2026-12-03"
        assert env.idle_total == round(sum(line.monthly for line in env.idle), 2)
        assert env.usage_total == round(sum(line.monthly for line in env.usage), 2)
        assert env.total == round(env.idle_total + env.usage_total, 2)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
@pytest.mark.parametrize("blueprint", sorted(EXAMPLES))
def test_blueprint_idle_cost_is_at_most_a_quarter_of_each_budget(make_plan, blueprint, region) -> None:
    estimate = estimate_plan(make_plan(blueprint, lambda spec: spec.update(region=region)))
    for env in estimate.environments:
        assert not env.idle_not_priced
        assert env.idle_share_of_budget <= 0.25, (env.name, env.idle_total, env.budget)


def _idle(make_plan, blueprint, edit, env="dev") -> float:
    estimate = estimate_plan(make_plan(blueprint, edit))
    return next(e for e in estimate.environments if e.name == env).idle_total


def test_more_zones_more_replicas_and_more_nat_cost_more_idle(make_plan) -> None:
    base = _idle(make_plan, "production", None)

    def zones(spec):
        spec["environments"]["dev"]["network"]["az_count"] = 3

    def replicas(spec):
        spec["serving"] = {
            "endpoints": [{"name": "default", "size": "small", "min_replicas": 2, "max_replicas": 4}]
        }

    def per_az(spec):
        spec["environments"]["dev"]["network"]["nat"] = "per_az"

    def no_nat(spec):
        spec["environments"]["dev"]["network"]["nat"] = "none"

    assert _idle(make_plan, "production", zones) > base  # endpoints in every zone: one more zone
    assert _idle(make_plan, "production", replicas) > base
    assert _idle(make_plan, "production", per_az) > base > _idle(make_plan, "production", no_nat)

    def starter_two_zones(spec):
        spec["network"] = {"endpoint_zones": 2}

    assert _idle(make_plan, "starter", starter_two_zones) == pytest.approx(
        _idle(make_plan, "starter", None) + 51.10, abs=0.01
    )


def test_an_instance_without_a_price_is_a_not_priced_line_never_a_zero(make_plan) -> None:
    # H100 training (ml.p5.48xlarge) is deliberately absent from the committed table.
    plan = make_plan("starter", lambda spec: spec.update(training={"gpu": "h100", "gpus_per_node": 8}))
    estimate = estimate_plan(plan)
    (dev,) = estimate.environments
    (line,) = [line for line in dev.usage if "ml.p5.48xlarge" in line.what]
    assert line.status == NOT_PRICED and line.monthly is None
    assert "sagemaker.training.ml.p5.48xlarge is not in the us-east-1 price table" in line.note
    assert dev.not_priced == [line]
    assert any("not priced" in warning and "ml.p5.48xlarge" in warning for warning in estimate.warnings)


def test_a_region_without_a_table_prices_nothing_and_says_so(make_plan) -> None:
    estimate = estimate_plan(make_plan("starter", lambda spec: spec.update(region="ap-south-2")))
    (dev,) = estimate.environments
    billed = [line for line in dev.idle if line.price_key]
    assert billed and all(line.status == NOT_PRICED for line in billed)
    assert dev.idle_total == 0.0 and len(dev.idle_not_priced) == len(billed)
    assert any(
        "no aws price table for region ap-south-2: every line there is 'not priced'" in warning
        for warning in estimate.warnings
    )


def test_prices_older_than_180_days_warn(make_plan) -> None:
    plan = make_plan("starter")
    compiled = date(2026, 12, 3)
    assert estimate_plan(plan, today=compiled + timedelta(days=STALE_AFTER_DAYS)).warnings == []
    (warning,) = estimate_plan(plan, today=compiled + timedelta(days=STALE_AFTER_DAYS + 1)).warnings
    assert "181 days ago" in warning and "refresh" in warning
    assert estimate_plan(plan, today=compiled + timedelta(days=7)).price_tables[0].age_days == 7


def test_every_resource_type_the_aws_modules_declare_is_priced_or_listed_free(repo_root) -> None:
    import re

    declared = set()
    for path in (repo_root / "modules/aws").rglob("*.tf"):
        declared |= set(re.findall(r'^resource "([a-z0-9_]+)"', path.read_text(), flags=re.MULTILINE))
    assert declared, "no resources found: the modules moved?"
    unlisted = sorted(declared - set(costing.RESOURCE_PRICING))
    assert not unlisted, f"resource types with no pricing decision in costing.RESOURCE_PRICING: {unlisted}"
    keys = table("us-east-1").prices
    for resource, how in costing.RESOURCE_PRICING.items():
        concrete = how.split(" ")[0]
        if not how.startswith("free:") and "<" not in concrete:
            assert concrete in keys, (resource, concrete)


def test_json_output_parses_and_carries_the_totals(make_plan) -> None:
    from mlgen.cost.render import render_estimate

    estimate = estimate_plan(make_plan("production"))
    data = json.loads(render_estimate(estimate, "json"))
    assert [env["name"] for env in data["environments"]] == ["dev", "staging", "prod"]
    prod = data["environments"][2]
    assert prod["idle_total"] == round(sum(line["monthly"] for line in prod["idle"]), 2)
    assert prod["idle_share_of_budget"] == round(prod["idle_total"] / 10000, 4)


def test_markdown_output_is_well_formed_tables(make_plan) -> None:
    from mlgen.cost.render import render_estimate

    text = render_estimate(estimate_plan(make_plan("production")), "markdown")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows and all(line.endswith("|") for line in rows)
    for block in text.split("\n\n"):
        table_rows = [line for line in block.splitlines() if line.startswith("|")]
        if table_rows:
            assert len({row.count("|") for row in table_rows}) == 1, block


def test_the_estimate_is_deterministic(make_plan) -> None:
    from mlgen.cost.render import render_estimate

    plan = make_plan("production")
    assert render_estimate(estimate_plan(plan), "json") == render_estimate(estimate_plan(plan), "json")
