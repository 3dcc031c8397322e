"""Teardown steps moto 5.2.5 cannot run: it has no StopTrainingJob (and completes every job at once) and no
DeleteModelPackage. These are checked against botocore's Stubber, which validates each request against the
real SageMaker service model (the recorded request shape) and answers with the documented response shape.
Wall time < 2 s.
"""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from tests.ops.landing_zone import write_spec

from mlgen.clouds.aws.ops.adapter import AwsOps
from mlgen.ops.context import load_context
from mlgen.ops.errors import OpsError

JOB = "churn-starter-dev-20261203-070000-abc1234"


@pytest.fixture
def ops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AwsOps, Stubber]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    adapter = AwsOps(load_context(write_spec(tmp_path / "p"), "dev"))
    adapter.poll_s = 0
    sagemaker = boto3.client("sagemaker", region_name="us-east-1")
    adapter.clients._clients["sagemaker", "us-east-1"] = sagemaker
    return adapter, Stubber(sagemaker)


def describe(status: str) -> dict:
    return {
        "TrainingJobName": JOB,
        "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{JOB}",
        "TrainingJobStatus": status,
        "SecondaryStatus": status,
        "AlgorithmSpecification": {"TrainingInputMode": "File"},
        "ResourceConfig": {"VolumeSizeInGB": 100},
        "StoppingCondition": {},
        "CreationTime": "2026-12-03T07:00:00Z",
        "ModelArtifacts": {"S3ModelArtifacts": "s3://b/k"},
    }


def test_stop_waits_until_the_job_has_stopped(ops: tuple[AwsOps, Stubber]) -> None:
    adapter, stub = ops
    stub.add_response("stop_training_job", {}, {"TrainingJobName": JOB})
    for status in ("Stopping", "Stopping", "Stopped"):
        stub.add_response("describe_training_job", describe(status), {"TrainingJobName": JOB})
    lines: list[str] = []
    with stub:
        adapter.stop_jobs_and_wait([JOB], dry_run=False, echo=lines.append, timeout_s=60)
        stub.assert_no_pending_responses()
    assert lines[-1] == f"    {JOB}: Stopped"
    assert sum("waiting for 1 job(s)" in line for line in lines) == 2


def test_a_job_that_does_not_stop_in_time_halts_the_teardown(ops: tuple[AwsOps, Stubber]) -> None:
    adapter, stub = ops
    stub.add_response("stop_training_job", {}, {"TrainingJobName": JOB})
    stub.add_response("describe_training_job", describe("Stopping"), {"TrainingJobName": JOB})
    with stub, pytest.raises(OpsError, match="still stopping"):
        adapter.stop_jobs_and_wait([JOB], dry_run=False, echo=lambda _: None, timeout_s=0)


def test_dry_run_stops_nothing(ops: tuple[AwsOps, Stubber]) -> None:
    adapter, stub = ops
    lines: list[str] = []
    with stub:  # no responses queued: any call would fail the test
        adapter.stop_jobs_and_wait([JOB], dry_run=True, echo=lines.append, timeout_s=60)
    assert lines == [f"    would stop training job {JOB}"]


def test_model_packages_and_groups_are_deleted_after_endpoints_and_models(
    ops: tuple[AwsOps, Stubber],
) -> None:
    """moto 5.2.5 has no DeleteModelPackage/DeleteModelPackageGroup: the request shapes, and the order."""
    adapter, stub = ops
    region = "arn:aws:sagemaker:us-east-1:123456789012"
    package = f"{region}:model-package/churn-starter-dev-churn/1"
    group = f"{region}:model-package-group/churn-starter-dev-churn"
    mine = {"Tags": [{"Key": "project", "Value": "churn-starter"}, {"Key": "environment", "Value": "dev"}]}
    stub.add_response("list_endpoints", {"Endpoints": []}, {})
    stub.add_response("list_endpoint_configs", {"EndpointConfigs": []}, {})
    stub.add_response("list_models", {"Models": []}, {})
    stub.add_response(
        "list_model_packages",
        {
            "ModelPackageSummaryList": [
                {
                    "ModelPackageName": "churn-starter-dev-churn",
                    "ModelPackageArn": package,
                    "CreationTime": "2026-12-03T07:00:00Z",
                    "ModelPackageStatus": "Completed",
                }
            ]
        },
        {},
    )
    stub.add_response("list_tags", mine, {"ResourceArn": package})
    stub.add_response(
        "list_model_package_groups",
        {
            "ModelPackageGroupSummaryList": [
                {
                    "ModelPackageGroupName": "churn-starter-dev-churn",
                    "ModelPackageGroupArn": group,
                    "CreationTime": "2026-12-03T07:00:00Z",
                    "ModelPackageGroupStatus": "Completed",
                }
            ]
        },
        {},
    )
    stub.add_response("list_tags", mine, {"ResourceArn": group})
    stub.add_response("delete_model_package", {}, {"ModelPackageName": package})
    stub.add_response("delete_model_package_group", {}, {"ModelPackageGroupName": "churn-starter-dev-churn"})
    lines: list[str] = []
    with stub:
        done = adapter.delete_out_of_band(dry_run=False, echo=lines.append)
        stub.assert_no_pending_responses()
    assert [item.kind for item in done] == ["sagemaker-model-package", "sagemaker-model-package-group"]
