"""`mlgen train submit|list|status|logs|stop` against moto's server: the request moto accepted, as moto
stores it. moto completes every job at once, so --wait sees the final transition only. Wall time ~5 s.
"""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from tests.ops.landing_zone import PROJECT, client, seed_landing_zone, write_spec

from mlgen.cli import main


def run(project: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--project-dir", str(project)], catch_exceptions=False)


def test_submit_creates_the_job_moto_stores_with_vpc_kms_spot_checkpoint_role_image_tags(
    aws: str, tmp_path: Path
) -> None:
    project = write_spec(tmp_path / "p")
    defaults = seed_landing_zone()
    result = run(project, "train", "submit", "--env", "dev", "--hp", "epochs=3", "--image-tag", "git-1a2b3c4")
    assert result.exit_code == 0, result.output
    name = result.stdout.strip().splitlines()[-1]
    assert name.startswith(f"{PROJECT}-dev-") and name.endswith("-nogit")
    job = client("sagemaker").describe_training_job(TrainingJobName=name)
    assert job["RoleArn"] == defaults["role_arn"]
    assert job["AlgorithmSpecification"]["TrainingImage"].endswith(f"/{PROJECT}-dev/training:git-1a2b3c4")
    assert job["VpcConfig"] == {
        "SecurityGroupIds": defaults["security_group_ids"],
        "Subnets": defaults["subnet_ids"],
    }
    assert job["ResourceConfig"]["VolumeKmsKeyId"] == defaults["volume_kms_key_id"]
    assert job["OutputDataConfig"]["KmsKeyId"] == defaults["output_kms_key_id"]
    assert job["EnableManagedSpotTraining"] is True
    assert job["StoppingCondition"]["MaxWaitTimeInSeconds"] == defaults["max_wait_seconds"]
    assert job["CheckpointConfig"]["S3Uri"] == f"{defaults['checkpoint_s3_uri']}{name}/"
    assert job["HyperParameters"] == {"epochs": "3"}
    tags = {
        t["Key"]: t["Value"] for t in client("sagemaker").list_tags(ResourceArn=job["TrainingJobArn"])["Tags"]
    }
    assert tags["project"] == PROJECT and tags["environment"] == "dev" and tags["mlgen-job"] == name


def test_wait_reports_the_transition_and_logs_streams_every_node(
    aws: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("mlgen.ops.follow.POLL_S", 0.01)
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    waited = run(project, "train", "submit", "--env", "dev", "--on-demand", "--wait")
    assert waited.exit_code == 0, waited.output
    name = waited.stdout.strip().splitlines()[-1]
    assert f"{name}: Completed / Completed" in waited.output
    logs = client("logs")
    now = int(time.time() * 1000)  # CloudWatch drops events older than 14 days
    for node in ("algo-1-1700000000", "algo-2-1700000000"):
        logs.create_log_stream(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=f"{name}/{node}")
        logs.put_log_events(
            logGroupName="/aws/sagemaker/TrainingJobs",
            logStreamName=f"{name}/{node}",
            logEvents=[{"timestamp": now + i, "message": f"step {i} on {node}"} for i in range(3)],
        )
    followed = run(project, "train", "logs", "--env", "dev", name, "--follow")
    assert followed.exit_code == 0, followed.output
    assert "[algo-1-1700000000] step 2 on algo-1-1700000000" in followed.output
    assert "[algo-2-1700000000] step 0 on algo-2-1700000000" in followed.output
    assert followed.output.count("step 1 on algo-1") == 1  # tokens: no line twice
    listed = run(project, "train", "list", "--env", "dev")
    assert name in listed.output and "Completed" in listed.output
    assert "Completed / Completed" in run(project, "train", "status", "--env", "dev", name).output


def test_submit_before_apply_says_what_to_do_without_a_traceback(aws: str, tmp_path: Path) -> None:
    result = run(write_spec(tmp_path / "p"), "train", "submit", "--env", "dev")
    assert result.exit_code == 1
    assert "not applied yet" in result.output and "Traceback" not in result.output


def test_stop_names_the_action_when_the_endpoint_refuses(aws: str, tmp_path: Path) -> None:
    """moto 5.2.5 has no StopTrainingJob: the error names the action instead of a traceback (the
    stop-and-wait logic is checked against botocore's recorded request shapes in test_teardown_steps.py)."""
    project = write_spec(tmp_path / "p")
    result = run(project, "train", "stop", "--env", "dev", f"{PROJECT}-dev-20260101-000000-abc1234")
    assert result.exit_code == 1
    assert "StopTrainingJob" in result.output and "Traceback" not in result.output


def test_bad_hyperparameter_and_unknown_environment_are_usage_errors(aws: str, tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p")
    assert run(project, "train", "submit", "--env", "dev", "--hp", "oops").exit_code == 2
    unknown = run(project, "train", "list", "--env", "qa")
    assert unknown.exit_code == 2 and "allowed: dev, prod" in unknown.output
