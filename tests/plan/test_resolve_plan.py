"""resolve_plan: environments in order, tags, derived state and e-mails, immutability."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from mlgen.plan import Plan, resolve_plan
from mlgen.spec import load_spec

SPEC = """\
project: fraud-detect
cloud: aws
region: eu-west-1
blueprint: production
owner: ml-platform@example.com
cost_center: cc-1234
tags: {team: risk, data-class: confidential}
environments:
  prod:
    account_id: "333333333333"
    region: eu-central-1
    state: {bucket: acme-prod-terraform-state}
  dev:
    account_id: "111111111111"
budgets:
  emails: [finance@example.com]
"""


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    path = tmp_path / "mlgen.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return resolve_plan(load_spec(path))


def test_environments_come_in_dev_staging_prod_order(plan):
    assert list(plan.environments) == ["dev", "prod"]
    assert [env.name for env in plan.environments.values()] == ["dev", "prod"]


def test_tags_hold_the_required_tags_and_the_extras_sorted(plan):
    assert plan.tags == {
        "cost-center": "cc-1234",
        "data-class": "confidential",
        "managed-by": "mlgen",
        "owner": "ml-platform@example.com",
        "project": "fraud-detect",
        "team": "risk",
    }
    prod_tags = plan.environments["prod"].tags
    assert list(prod_tags) == sorted(prod_tags)
    assert prod_tags["environment"] == "prod"
    assert {"project", "environment", "owner", "cost-center", "managed-by"} <= set(prod_tags)


def test_region_defaults_to_the_top_level_and_can_be_overridden(plan):
    assert plan.environments["dev"].region == "eu-west-1"
    assert plan.environments["prod"].region == "eu-central-1"


def test_state_bucket_is_derived_unless_given(plan):
    dev, prod = plan.environments["dev"].state, plan.environments["prod"].state
    assert (dev.backend, dev.bucket) == ("s3", "fraud-detect-dev-tfstate-111111111111")
    assert dev.key == "mlgen/fraud-detect/dev.tfstate"
    assert prod.bucket == "acme-prod-terraform-state"


def test_alert_emails_default_to_the_owner(plan):
    dev = plan.environments["dev"]
    assert dev.budgets.emails == ["finance@example.com"]
    assert dev.monitoring.emails == ["ml-platform@example.com"]


def test_plan_is_immutable(plan):
    with pytest.raises(pydantic.ValidationError):
        plan.project = "other"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        plan.environments["dev"].network.nat = "none"  # type: ignore[misc]


def test_plan_is_deterministic(tmp_path):
    path = tmp_path / "mlgen.yaml"
    path.write_text(SPEC, encoding="utf-8")
    first = resolve_plan(load_spec(path)).model_dump_json()
    assert first == resolve_plan(load_spec(path)).model_dump_json()
    assert "instance_type" not in first and "ml.g4dn" not in first  # cloud-neutral


def test_load_plan_reads_and_resolves(tmp_path):
    from mlgen.plan import load_plan

    path = tmp_path / "mlgen.yaml"
    path.write_text(SPEC, encoding="utf-8")
    assert load_plan(path) == resolve_plan(load_spec(path))
