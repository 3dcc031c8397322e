"""The CreateTrainingJob request built from the job defaults: every field the landing zone decides.

Pure (no emulator); the end-to-end submission against moto is in test_train_cli.py. Wall time < 1 s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

from mlgen.clouds.aws.ops.training import build_training_request, with_image_tag
from mlgen.ops.base import TrainingOverrides
from mlgen.ops.errors import OpsError
from mlgen.ops.naming import job_name, parse_key_values

DEFAULTS = {
    "schema_version": 1,
    "job_name_prefix": "demo-dev",
    "region": "us-east-1",
    "role_arn": "arn:aws:iam::123456789012:role/demo-dev-training",
    "image_uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-dev/training:v1",
    "instance_type": "ml.g4dn.xlarge",
    "instance_count": 1,
    "volume_size_gb": 100,
    "volume_kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/vol",
    "output_kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/out",
    "output_s3_uri": "s3://demo-dev-artifacts/training/output/",
    "checkpoint_s3_uri": "s3://demo-dev-artifacts/training/checkpoints/",
    "checkpoint_local_path": "/opt/ml/checkpoints",
    "enable_managed_spot": True,
    "max_runtime_seconds": 7200,
    "max_wait_seconds": 14400,
    "subnet_ids": ["subnet-a", "subnet-b"],
    "security_group_ids": ["sg-1"],
    "inter_container_encryption": True,
    "log_group_name": "/aws/sagemaker/TrainingJobs",
    "mlflow_tracking_arn": "arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/demo-dev",
    "tags": {"project": "demo", "environment": "dev"},
}


def build(**overrides: object) -> dict:
    return build_training_request(
        DEFAULTS, TrainingOverrides(**overrides), "demo-dev-job", "abc1234", "demo-dev"
    )


def test_request_carries_the_landing_zone_network_keys_role_and_image() -> None:
    request = build()
    assert request["RoleArn"] == DEFAULTS["role_arn"]
    assert request["AlgorithmSpecification"]["TrainingImage"] == DEFAULTS["image_uri"]
    assert request["VpcConfig"] == {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-a", "subnet-b"]}
    assert request["ResourceConfig"]["VolumeKmsKeyId"] == DEFAULTS["volume_kms_key_id"]
    assert request["OutputDataConfig"]["KmsKeyId"] == DEFAULTS["output_kms_key_id"]
    assert request["EnableInterContainerTrafficEncryption"] is True
    assert request["Environment"]["MLFLOW_TRACKING_URI"] == DEFAULTS["mlflow_tracking_arn"]
    assert request["Environment"]["MLGEN_CODE_VERSION"] == "abc1234"
    tags = {t["Key"]: t["Value"] for t in request["Tags"]}
    assert tags["project"] == "demo" and tags["environment"] == "dev" and tags["mlgen-job"] == "demo-dev-job"


def test_spot_job_waits_and_checkpoints_under_its_own_name() -> None:
    request = build()
    assert request["EnableManagedSpotTraining"] is True
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 14400}
    assert request["CheckpointConfig"] == {
        "S3Uri": "s3://demo-dev-artifacts/training/checkpoints/demo-dev-job/",
        "LocalPath": "/opt/ml/checkpoints",
    }


def test_on_demand_has_no_wait_and_longer_runtime_stretches_the_spot_wait() -> None:
    assert "MaxWaitTimeInSeconds" not in build(spot=False)["StoppingCondition"]
    stopping = build(max_runtime_hours=10)["StoppingCondition"]
    assert stopping["MaxRuntimeInSeconds"] == 36000
    assert stopping["MaxWaitTimeInSeconds"] >= 72000


def test_overrides_replace_instance_image_tag_and_add_hyperparameters() -> None:
    request = build(
        instance_type="ml.g5.xlarge", instance_count=2, image_tag="git-1a2b3c4", hyperparameters={"lr": "0.1"}
    )
    assert request["ResourceConfig"]["InstanceType"] == "ml.g5.xlarge"
    assert request["ResourceConfig"]["InstanceCount"] == 2
    assert request["AlgorithmSpecification"]["TrainingImage"].endswith("/demo-dev/training:git-1a2b3c4")
    assert request["HyperParameters"] == {"lr": "0.1"}
    assert with_image_tag("host:5000/repo/name:old", "new") == "host:5000/repo/name:new"


def test_unknown_defaults_schema_is_refused() -> None:
    with pytest.raises(OpsError, match="schema_version"):
        build_training_request({**DEFAULTS, "schema_version": 2}, TrainingOverrides(), "j", "s", "e")


def test_job_names_are_traceable_and_fit_the_limit() -> None:
    from datetime import UTC, datetime

    name = job_name("demo-dev", "abc1234", datetime(2026, 12, 3, 7, 5, 9, tzinfo=UTC))
    assert name == "demo-dev-20261203-070509-abc1234"
    long = job_name("a" * 80, "abc1234")
    assert len(long) <= 63 and long.endswith("-abc1234")
    assert parse_key_values(("lr=0.1", "epochs=3"), "--hp") == {"lr": "0.1", "epochs": "3"}


def test_job_defaults_keys_match_the_gpu_compute_module_contract() -> None:
    """The SSM parameter's keys come from modules/aws/gpu_compute/main.tf; the reader must know all of them."""
    text = (REPO_ROOT / "modules/aws/gpu_compute/main.tf").read_text()
    block = re.search(r"job_defaults = \{(.*?)\n  \}", text, re.DOTALL)
    assert block, "local.job_defaults not found in the gpu_compute module"
    module_keys = set(re.findall(r"^\s{4}(\w+)\s+=", block.group(1), re.MULTILINE))
    assert module_keys == set(DEFAULTS)
    assert Path(REPO_ROOT / "tests/ops/landing_zone.py").read_text().count('"schema_version": 1') == 1
