"""The generated AWS roots apply, re-plan clean, tear down and leave nothing, against moto with the real provider.

Runs the real hashicorp/aws 5.100.0 provider (filesystem mirror, see tests/apply/workspace.py) against one
moto server per environment; the environments run in parallel. What is applied:

- the starter's dev (bootstrap + env root, ``serving_release`` set: the serverless serving module);
- the production blueprint's dev (defaults) and prod (deletion protection off for the test, ``training.platform:
  vm`` so the GPU fleet is applied, ``serving_release`` set: the real-time serving module with autoscaling);
- the production blueprint's prod bootstrap with deletion protection on, to show destroy is refused.

Teardown is the generated ``scripts/teardown-<env>.sh`` for the env root, then ``terraform destroy`` for the
bootstrap root (the project has no bootstrap teardown). Leftovers are found by listing every service with boto3.

Wall time: ~30 minutes measured on the shared 2-core machine at load average ~20 (docs/terraform-harness.md,
"Figures"); the starter alone took 12 minutes there.
"""

from __future__ import annotations

import pytest
from tests.apply.lifecycle import EnvironmentRun
from tests.apply.suite import ENVIRONMENTS, run_all
from tests.apply.workspace import PROVIDER_VERSION, provider_binary

pytestmark = [
    pytest.mark.slow,
    # The module fixture applies and destroys every environment inside the first test's time limit.
    pytest.mark.timeout(3000),
    pytest.mark.skipif(
        provider_binary() is None,
        reason=f"no hashicorp/aws {PROVIDER_VERSION} provider binary in the filesystem mirror (/opt/tf-plugins)",
    ),
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return run_all(tmp_path_factory.mktemp("apply"))


def _run(runs: dict[str, object], name: str) -> EnvironmentRun:
    run = runs[name]
    assert isinstance(run, EnvironmentRun)
    return run


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_first_apply_passes(runs: dict[str, object], name: str) -> None:
    run = _run(runs, name)
    assert [r.root for r in run.roots] == [
        f"infra/bootstrap/{name.split('/')[1]}",
        f"infra/envs/{name.split('/')[1]}",
    ]
    for root in run.roots:
        assert root.first_apply == "", f"{root.root}: first apply failed:\n{root.first_apply}"
        assert root.applied > 0


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_replan_after_apply_shows_no_changes(runs: dict[str, object], name: str) -> None:
    for root in _run(runs, name).roots:
        assert root.drift == [], (
            f"{root.root}: re-plan is not clean:\n"
            + "\n".join(root.drift)
            + f"\n(emulator drift allowed: {root.emulator_drift})"
        )


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_teardown_leaves_nothing(runs: dict[str, object], name: str) -> None:
    run = _run(runs, name)
    assert run.teardown == "", f"teardown failed:\n{run.teardown}"
    # mlgen teardown deletes the serving endpoint, its configuration and model itself (step 3, so that what
    # jobs and MLflow made goes too) before terraform destroys the rest.
    expected = [r.applied - r.teardown_log.count("deleting SageMaker ") for r in run.roots]
    assert [r.destroyed for r in run.roots] == expected
    assert run.leftovers == {}, f"left in the emulator after teardown: {run.leftovers}"


def test_serving_and_gpu_fleet_were_applied(runs: dict[str, object]) -> None:
    starter = set(_run(runs, "aws-starter/dev").roots[1].types)
    prod = set(_run(runs, "aws-production/prod").roots[1].types)
    assert {
        "aws_sagemaker_endpoint",
        "aws_sagemaker_endpoint_configuration",
        "aws_sagemaker_model",
    } <= starter
    assert {"aws_sagemaker_endpoint", "aws_appautoscaling_target", "aws_appautoscaling_policy"} <= prod
    assert {"aws_autoscaling_group", "aws_launch_template"} <= prod


def test_deletion_protection_stops_destroy(runs: dict[str, object]) -> None:
    result = runs["protected"]
    assert isinstance(result, dict)
    assert result["applied"].first_apply == ""
    assert result["destroy"].returncode != 0
    assert "lifecycle.prevent_destroy" in result["destroy"].stderr.replace("\n", " ")
    assert result["script"].returncode == 4, result["script"].stderr
    assert "deletion protection is on" in result["script"].stderr
    assert "fraud-detect-prod-tfstate-333333333333" in result["buckets"]
    assert "fraud-detect-prod-tfstate-logs-333333333333" in result["buckets"]
