"""`mlgen train` on GCP end to end: the real google-cloud-aiplatform client against the local Vertex AI fake.

The request bodies are read back with the library's own proto types (json_format into aiplatform_v1
messages), so each assertion is about what the client library put on the wire, enums included.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from google.cloud.aiplatform_v1 import types
from google.protobuf import json_format
from tests.ops.gcp.landing_zone import LandingZone

from mlgen.cli import main
from mlgen.clouds.gcp import naming


def run(zone: LandingZone, *args: str, env: str = "dev") -> object:
    result = CliRunner().invoke(
        main, [*args, "--env", env, "--project-dir", str(zone.project_dir)], catch_exceptions=False
    )
    return result


def sent_job(zone: LandingZone) -> types.CustomJob:
    calls = zone.fake.calls("POST", r"/customJobs$")
    assert len(calls) == 1, [c.path for c in zone.fake.state.requests]
    return types.CustomJob.wrap(json_format.ParseDict(calls[0].body, types.CustomJob.pb(types.CustomJob())))


def test_submit_sends_the_landing_zones_job_to_vertex(zone: LandingZone) -> None:
    result = run(zone, "train", "submit", "--hp", "epochs=3", "--hp", "lr=0.01", "--dataset-version", "v7")
    assert result.exit_code == 0, result.output
    env = zone.env()
    defaults = zone.job_defaults()
    name = result.stdout.strip()
    assert name.startswith(f"{env.prefix}-")

    job = sent_job(zone)
    assert job.display_name == name
    spec = job.job_spec
    assert len(spec.worker_pool_specs) == 1
    pool = spec.worker_pool_specs[0]
    assert pool.replica_count == 1
    assert pool.machine_spec.machine_type == "n1-standard-8"
    assert pool.machine_spec.accelerator_type == types.AcceleratorType.NVIDIA_TESLA_T4
    assert pool.machine_spec.accelerator_count == 1
    assert pool.container_spec.image_uri == defaults["image_uri"]
    assert list(pool.container_spec.args) == ["train", "--epochs", "3", "--lr", "0.01"]
    variables = {var.name: var.value for var in pool.container_spec.env}
    assert variables["MLGEN_DATASET_VERSION"] == "v7"
    assert variables["MLGEN_INSTANCE_TYPE"] == "n1-standard-8"
    assert variables["MLFLOW_EXPERIMENT_NAME"] == env.prefix
    assert pool.disk_spec.boot_disk_type == "pd-ssd"

    assert spec.scheduling.strategy == types.Scheduling.Strategy.SPOT
    assert spec.scheduling.restart_job_on_worker_restart is True
    assert spec.scheduling.timeout.total_seconds() == defaults["max_runtime_seconds"]
    assert spec.service_account == naming.service_account_email(env, "training")
    assert spec.network == defaults["network"]
    # AIP_MODEL_DIR / AIP_CHECKPOINT_DIR are <base>/model/ and <base>/checkpoints/: the environment's bucket.
    assert spec.base_output_directory.output_uri_prefix == (
        f"gs://{naming.bucket_name(env, 'artifacts')}/jobs/{name}/"
    )
    assert job.encryption_spec.kms_key_name == defaults["kms_key_name"]
    assert job.labels["project"] == "churn-gcp"
    assert job.labels["environment"] == "dev"
    assert job.labels["mlgen-job"] == name
    assert "(spot)" in result.stderr and "NVIDIA_TESLA_T4" in result.stderr


def test_overrides_on_demand_more_nodes_and_runtime(zone: LandingZone) -> None:
    result = run(
        zone,
        "train",
        "submit",
        "--on-demand",
        "--instance-count",
        "3",
        "--instance-type",
        "n1-standard-16",
        "--max-runtime",
        "2",
        "--image-tag",
        "git-fff0000",
    )
    assert result.exit_code == 0, result.output
    spec = sent_job(zone).job_spec
    assert spec.scheduling.strategy == types.Scheduling.Strategy.STANDARD
    assert spec.scheduling.timeout.total_seconds() == 7200
    # The primary in worker pool 0, the other replicas in pool 1, with the same image and arguments.
    assert [p.replica_count for p in spec.worker_pool_specs] == [1, 2]
    assert {p.machine_spec.machine_type for p in spec.worker_pool_specs} == {"n1-standard-16"}
    assert {p.container_spec.image_uri.rsplit(":", 1)[1] for p in spec.worker_pool_specs} == {"git-fff0000"}


def test_dry_run_prints_the_job_and_submits_nothing(zone: LandingZone) -> None:
    result = run(zone, "train", "submit", "--dry-run")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["jobSpec"]["scheduling"]["strategy"] == "SPOT"
    assert printed["encryptionSpec"]["kmsKeyName"] == zone.job_defaults()["kms_key_name"]
    assert zone.fake.calls("POST", r"/customJobs$") == []


def test_list_status_logs_and_stop(zone: LandingZone) -> None:
    name = run(zone, "train", "submit").stdout.strip()
    (job,) = zone.fake.state.jobs.values()
    job["state"] = "JOB_STATE_RUNNING"
    job_id = job["name"].rsplit("/", 1)[-1]
    for number, (replica, text) in enumerate([("workerpool0-0", "epoch 1"), ("workerpool0-0", "epoch 2")]):
        zone.fake.state.log_entries.append(
            {
                "insertId": f"i{number}",
                "timestamp": f"2026-12-03T10:00:0{number}Z",
                "resource": {"type": "ml_job", "labels": {"job_id": job_id}},
                "labels": {"ml.googleapis.com/task_name": replica},
                "textPayload": text,
            }
        )
    # Another environment's job in the same location is not listed.
    zone.fake.state.jobs["other"] = {
        **job,
        "name": f"{job['name']}9",
        "labels": {"project": "x", "environment": "dev"},
    }

    listed = run(zone, "train", "list")
    assert listed.exit_code == 0, listed.output
    assert name in listed.stdout and "InProgress" in listed.stdout and listed.stdout.count("\n") == 1

    status = run(zone, "train", "status", name)
    assert status.exit_code == 0 and f"{name}: InProgress / Running" in status.stdout

    logs = run(zone, "train", "logs", name)
    assert logs.stdout.splitlines() == ["[workerpool0-0] epoch 1", "[workerpool0-0] epoch 2"]

    stopped = run(zone, "train", "stop", name)
    assert stopped.exit_code == 0, stopped.output
    assert zone.fake.calls("POST", rf"customJobs/{job_id}:cancel$")
    assert run(zone, "train", "status", name).stdout.startswith(f"{name}: Stopped")


def test_failed_job_status_exits_1_with_the_reason(zone: LandingZone) -> None:
    name = run(zone, "train", "submit").stdout.strip()
    (job,) = zone.fake.state.jobs.values()
    job.update(state="JOB_STATE_FAILED", error={"code": 3, "message": "CUDA out of memory"})
    result = run(zone, "train", "status", name)
    assert result.exit_code == 1
    assert "failure reason: CUDA out of memory" in result.stdout


def test_unknown_job_is_a_clear_error(zone: LandingZone) -> None:
    result = run(zone, "train", "status", "churn-gcp-dev-20260101-000000-abc1234")
    assert result.exit_code == 1
    assert "no training job" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (None, "no job-defaults document at gs://"),
        ({"schema_version": 2}, "schema_version 2; this mlgen reads version 1"),
    ],
)
def test_missing_or_old_job_defaults(gcp, tmp_path, document, message) -> None:
    zone = LandingZone(gcp, tmp_path / "p")
    zone.write_spec()
    zone.apply("dev", job_defaults=document or {})
    if document is None:
        env = zone.env()
        from tests.ops.gcp.landing_zone import storage_client

        storage_client(env.account_id).bucket(naming.bucket_name(env, "artifacts")).blob(
            naming.JOB_DEFAULTS_OBJECT
        ).delete()
    result = run(zone, "train", "submit")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_submit_wait_follows_the_job_to_the_end(zone: LandingZone, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each poll's sleep moves the fake job on (pending → running → succeeded) and adds a log line."""
    steps = iter(["JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED"])

    def advance(_seconds: float) -> None:
        (job,) = zone.fake.state.jobs.values()
        job["state"] = next(steps)
        job_id = job["name"].rsplit("/", 1)[-1]
        number = len(zone.fake.state.log_entries)
        zone.fake.state.log_entries.append(
            {
                "insertId": f"w{number}",
                "timestamp": f"2026-12-03T11:00:0{number}Z",
                "resource": {"type": "ml_job", "labels": {"job_id": job_id}},
                "labels": {"ml.googleapis.com/task_name": "workerpool0-0"},
                "textPayload": f"line {number}",
            }
        )

    # Only follow's clock: the servers' threads keep the real time.sleep.
    monkeypatch.setattr("mlgen.ops.follow.time", SimpleNamespace(sleep=advance))
    result = run(zone, "train", "submit", "--wait")
    assert result.exit_code == 0, result.output
    name = result.stdout.strip()
    progress = result.stderr.splitlines()
    assert f"{name}: InProgress / Pending" in progress
    assert f"{name}: InProgress / Running" in progress
    assert any(text.startswith(f"{name}: Completed / Succeeded") for text in progress)
    # Each log line once, although later polls ask again from the last timestamp.
    assert [text for text in progress if text.startswith("[workerpool0-0]")] == [
        "[workerpool0-0] line 0",
        "[workerpool0-0] line 1",
    ]
