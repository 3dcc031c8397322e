"""The teardown sweep lists every tagged resource of the environment, service by service, and nothing of
another project or environment. Against moto's server; wall time ~5 s."""

from __future__ import annotations

from pathlib import Path

from tests.ops.landing_zone import ACCOUNT, PROJECT, client, seed_landing_zone, write_spec

from mlgen.clouds.aws.ops.adapter import AwsOps
from mlgen.ops.context import load_context


def test_sweep_finds_each_service_and_ignores_other_projects(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    seed_landing_zone(project="other")
    left = AwsOps(load_context(project, "dev")).leftovers()
    kinds = {item.kind for item in left}
    assert {"s3-bucket", "ecr-repository", "iam-role", "kms-key", "log-group", "ssm-parameter"} <= kinds
    assert all("other" not in item.name for item in left)
    assert f"arn:aws:s3:::{PROJECT}-dev-artifacts-{ACCOUNT}" in {item.name for item in left}
    key = next(item.name for item in left if item.kind == "kms-key")
    client("kms").schedule_key_deletion(KeyId=key.rsplit("/", 1)[-1], PendingWindowInDays=7)
    assert key not in {item.name for item in AwsOps(load_context(project, "dev")).leftovers()}
