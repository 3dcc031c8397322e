"""Each ML policy fails its failing fixture on exactly the expected resources and passes its passing one.

Run through the same checkov integration `mlgen check` uses (scan_with_checkov), not a reimplementation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from tests.policy.projects import POLICY_FIXTURES

from mlgen.policy.report import FAILED, PASSED, Finding

EXPECTED_FAILURES: dict[str, set[tuple[str, str]]] = {
    "MLG001": {
        ("environments/dev/main.tf", "aws.default"),
        ("environments/dev/main.tf", "azurerm_resource_group.ml"),
    },
    "MLG002": {
        ("modules/training/main.tf", "module.training.aws_launch_template.gpu"),
        ("modules/training/main.tf", "module.training.aws_launch_template.fleet"),
        ("modules/training/main.tf", "module.training.aws_autoscaling_group.fleet"),
    },
    "MLG003": {("main.tf", "aws_appautoscaling_target.endpoint"), ("main.tf", "serving")},
    "MLG004": {
        ("environments/dev/main.tf", "aws.default"),
        ("environments/staging/main.tf", "aws.default"),
    },
    "MLG005": {
        ("main.tf", "aws_s3_bucket.raw"),
        ("main.tf", "aws_s3_bucket_server_side_encryption_configuration.features"),
        ("main.tf", "aws_ecr_repository.serving"),
    },
    "MLG006": {
        ("environments/prod/main.tf", "storage"),
        ("environments/prod/main.tf", "aws_kms_key.state"),
    },
    "MLG007": {
        ("main.tf", "aws_iam_policy_document.data_scientist"),
        ("main.tf", "aws_iam_policy.keys"),
        ("main.tf", "aws_iam_role_policy.admin"),
    },
    "MLG008": {
        ("images/serving/Dockerfile", "images/serving/Dockerfile.FROM"),
        ("main.tf", "aws_sagemaker_model.serving"),
        ("main.tf", "serving"),
    },
}


@cache
def scan(path: Path) -> tuple[Finding, ...]:
    from mlgen.policy.checkov_scan import scan_with_checkov

    return tuple(scan_with_checkov(path))


def results_for(policy_id: str, variant: str, status: str) -> set[tuple[str, str]]:
    return {
        (finding.file, finding.resource)
        for finding in scan(POLICY_FIXTURES / policy_id.lower() / variant)
        if finding.check_id == policy_id and finding.status == status
    }


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_FAILURES))
def test_policy_fails_exactly_the_planted_resources(policy_id: str) -> None:
    assert results_for(policy_id, "fail", FAILED) == EXPECTED_FAILURES[policy_id]


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_FAILURES))
def test_policy_passes_compliant_resources(policy_id: str) -> None:
    assert results_for(policy_id, "pass", FAILED) == set()
    # the check really ran on the same kinds of resources
    passed_resources = {resource for _, resource in results_for(policy_id, "pass", PASSED)}
    failed_resources = {resource for _, resource in EXPECTED_FAILURES[policy_id]}
    assert passed_resources & failed_resources, passed_resources


def test_budget_with_dynamic_notifications_counts() -> None:
    findings = scan(POLICY_FIXTURES / "mlg004" / "pass")
    assert ("environments/staging/main.tf", "aws.default", PASSED) in {
        (f.file, f.resource, f.status) for f in findings if f.check_id == "MLG004"
    }


def test_launch_template_used_only_by_a_spot_group_counts_as_spot() -> None:
    findings = scan(POLICY_FIXTURES / "mlg002" / "pass")
    assert ("module.training.aws_launch_template.fleet", PASSED) in {
        (f.resource, f.status) for f in findings if f.check_id == "MLG002"
    }


def test_gpu_policy_allows_on_demand_in_prod_but_not_in_dev() -> None:
    # the same module is called by dev (fails) and prod (passes): the environment comes from the root
    findings = [f for f in scan(POLICY_FIXTURES / "mlg002" / "fail") if f.check_id == "MLG002"]
    statuses = {(f.resource, f.status) for f in findings}
    assert ("module.training.aws_launch_template.gpu", PASSED) in statuses
    assert ("module.training.aws_launch_template.gpu", FAILED) in statuses
    assert not any("cpu" in f.resource for f in findings)


def test_dockerfile_failure_points_at_the_unpinned_from_line() -> None:
    failure = next(
        f
        for f in scan(POLICY_FIXTURES / "mlg008" / "fail")
        if f.check_id == "MLG008" and f.framework == "dockerfile"
    )
    assert failure.line == 4  # `FROM python`, not the pinned build stage on line 1


def test_failures_carry_the_policy_fix_hint() -> None:
    from mlgen.policy.catalog import POLICY_BY_ID

    failures = [f for f in scan(POLICY_FIXTURES / "mlg005" / "fail") if f.check_id == "MLG005"]
    assert failures and all(f.fix == POLICY_BY_ID["MLG005"].fix for f in failures)


@pytest.mark.parametrize(
    ("image", "pinned"),
    [
        ("python", False),
        ("python:latest", False),
        ("registry.example.com:5000/team/app", False),
        ("registry.example.com:5000/team/app:1.2", True),
        ("python@sha256:" + "a" * 64, True),
        ("python:3.11.9-slim", True),
    ],
)
def test_image_pinning_rule(image: str, pinned: bool) -> None:
    from mlgen.policy.checks.mlg008_image_pinning import image_is_pinned

    assert image_is_pinned(image) is pinned


def test_wildcard_rule_flags_only_service_wide_grants_on_data_services() -> None:
    from mlgen.policy.checks.mlg007_iam_wildcards import wildcard_actions

    actions = ["*", "s3:*", "ecr:*", "kms:*", "s3:Get*", "logs:*", "s3:GetObject"]
    assert wildcard_actions(actions) == ["*", "s3:*", "ecr:*", "kms:*"]


def test_a_policy_that_crashes_fails_the_block_instead_of_passing_silently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlgen.policy.checkov_scan import scan_with_checkov

    def broken(_value: object) -> float:
        raise RuntimeError("boom")

    monkeypatch.setattr("mlgen.policy.checks.mlg003_autoscaling.as_number", broken)
    findings = [f for f in scan_with_checkov(POLICY_FIXTURES / "mlg003" / "pass") if f.check_id == "MLG003"]
    assert findings and all(f.status == FAILED for f in findings)
    assert all("could not evaluate this block (RuntimeError: boom)" in f.message for f in findings)
