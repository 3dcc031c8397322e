"""Review fixes (issue 15 §3) seen in real `terraform plan` output of the golden examples, through the
offline plan harness: what Terraform would send to AWS, not what the HCL looks like.

Wall time: about 30 s (three plans with `terraform show -json`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.terraform_harness import Harness

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
RELEASE = {"serving_release": {"image_tag": "v1.0.0", "model_data_url": "s3://models/churn/v1/model.tar.gz"}}


def planned(plan: dict[str, Any], prefix: str) -> dict[str, dict[str, Any]]:
    """address -> planned `after` values of every resource change whose address starts with prefix."""
    return {
        change["address"]: change["change"]["after"] or {}
        for change in plan["resource_changes"]
        if change["address"].startswith(prefix)
    }


@pytest.mark.parametrize(
    ("example", "isolated"),
    [("aws-starter/infra/envs/dev", False), ("aws-production/infra/envs/prod", True)],
)
def test_only_instance_based_models_ask_for_network_isolation(
    harness: Harness, example: str, isolated: bool
) -> None:
    """Item 2: the starter's serverless endpoint would fail to create with network isolation on."""
    result = harness.plan(REPO_ROOT / "examples" / example, variables=RELEASE, show=True)
    assert result.ok, result.summary()
    models = planned(result.plan, "module.serving[0].aws_sagemaker_model.this")
    assert models and {m["enable_network_isolation"] for m in models.values()} == {isolated}
    if not isolated:
        assert all(not m.get("vpc_config") for m in models.values())
        configs = planned(result.plan, "module.serving[0].aws_sagemaker_endpoint_configuration.this")
        assert all(not c.get("data_capture_config") for c in configs.values())


def test_prod_plan_has_separate_ci_roles_and_a_restricted_s3_endpoint(harness: Harness) -> None:
    """Items 4 and 11 in the plan: two CI roles, and an S3 endpoint policy bound to the account."""
    result = harness.plan(REPO_ROOT / "examples/aws-production/infra/envs/prod", show=True)
    assert result.ok, result.summary()
    roles = planned(result.plan, "module.iam.aws_iam_role.ci[")
    assert sorted(r["name"] for r in roles.values()) == [
        "fraud-detect-prod-ci-apply",
        "fraud-detect-prod-ci-plan",
    ]
    endpoint = planned(result.plan, "module.network.aws_vpc_endpoint.s3")[
        "module.network.aws_vpc_endpoint.s3"
    ]
    policy = json.loads(endpoint["policy"])
    own = next(s for s in policy["Statement"] if s.get("Sid") == "BucketsOfThisAccount")
    assert own["Condition"] == {"StringEquals": {"aws:ResourceAccount": "333333333333"}}
