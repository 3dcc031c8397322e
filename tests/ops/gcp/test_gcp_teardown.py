"""`mlgen teardown` on GCP: guards first, then every step against the fakes with a real `terraform destroy`.

The Terraform root stands in for the environment root without a provider download: a ``terraform_data``
resource whose destroy-time provisioner deletes what the google provider would (the zone buckets and the
repository), so the sweep afterwards sees what a real destroy leaves. Everything mlgen deletes itself
(deployed models, endpoints, models, jobs, object versions, key versions) goes through the real clients.
Resources of another environment, another project or without labels are seeded too and must survive.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.gcp.landing_zone import PROJECT, LandingZone, storage_client

from mlgen.cli import main
from mlgen.clouds.gcp import naming
from mlgen.ops.errors import EXIT_PROTECTED, EXIT_REFUSED

needs_terraform = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")

DESTROY_SCRIPT = """\
import json, os, sys, urllib.request
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage

made = json.loads(sys.argv[1])
client = storage.Client(project=made["project"], credentials=AnonymousCredentials())
for name in made["buckets"]:
    client.bucket(name).delete()
request = urllib.request.Request(os.environ["MLGEN_GCP_ENDPOINT"] + "/v1/" + made["repository"], method="DELETE")
urllib.request.urlopen(request, timeout=30)
"""

ROOT = """\
terraform {
  required_version = ">= 1.5"
}

# Stands in for the environment's google resources: destroying it deletes them as the provider would.
resource "terraform_data" "landing_zone" {
  input = {
    script = "SCRIPT"
    made   = "MADE"
    python = "PYTHON"
  }

  provisioner "local-exec" {
    when    = destroy
    command = "${self.input.python} ${self.input.script} '${self.input.made}'"
  }
}
"""


def teardown(zone: LandingZone, *args: str, env: str = "dev") -> object:
    return CliRunner().invoke(
        main,
        ["teardown", "--env", env, "--project-dir", str(zone.project_dir), *args],
        catch_exceptions=False,
    )


def object_count(project: str, bucket: str) -> int:
    return len(list(storage_client(project).bucket(bucket).list_blobs()))


def apply_root(zone: LandingZone) -> None:
    env = zone.env()
    root = zone.project_dir / "infra/envs/dev"
    root.mkdir(parents=True, exist_ok=True)
    script = zone.project_dir / "destroy_landing_zone.py"
    script.write_text(DESTROY_SCRIPT, encoding="utf-8")
    made = {
        "project": env.account_id,
        "buckets": [naming.bucket_name(env, zone_name) for zone_name in [*env.storage.zones, "staging"]],
        "repository": f"{zone.location()}/repositories/{naming.repository_id(env)}",
    }
    text = (
        ROOT.replace("SCRIPT", str(script))
        .replace("MADE", json.dumps(made).replace('"', '\\"'))
        .replace("PYTHON", sys.executable)
    )
    (root / "main.tf").write_text(text, encoding="utf-8")
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        subprocess.run(["terraform", f"-chdir={root}", *args], check=True, capture_output=True, timeout=300)


def seed_out_of_band(zone: LandingZone) -> dict[str, str]:
    """What jobs and releases made through the API, plus what belongs to others."""
    env = zone.env()
    state = zone.fake.state
    labels = naming.labels(env)
    location = zone.location()
    model = f"{location}/models/501"
    state.models[model] = {"name": model, "displayName": "m", "labels": labels}
    endpoint = f"{location}/endpoints/{naming.endpoint_id(env, 'default')}"
    # Two deployed models sharing the traffic (a canary): each undeploy must move the traffic first.
    state.endpoints[endpoint]["deployedModels"] = [
        {"id": "601", "model": model},
        {"id": "602", "model": model},
    ]
    state.endpoints[endpoint]["trafficSplit"] = {"601": 50, "602": 50}
    for number, job_state in (("701", "JOB_STATE_SUCCEEDED"), ("702", "JOB_STATE_RUNNING")):
        state.jobs[f"{location}/customJobs/{number}"] = {
            "name": f"{location}/customJobs/{number}",
            "displayName": f"{env.prefix}-20261203-00000{number[-1]}-abc1234",
            "state": job_state,
            "labels": labels,
            "createTime": "2026-12-03T00:00:00Z",
        }
    foreign = f"{location}/models/999"
    state.models[foreign] = {
        "name": foreign,
        "displayName": "other",
        "labels": {**labels, "project": "other"},
    }
    artifacts = naming.bucket_name(env, "artifacts")
    for key in ("jobs/a/model/MLmodel", "jobs/a/checkpoints/ckpt-1.pt", "releases/x"):
        storage_client(env.account_id).bucket(artifacts).blob(key).upload_from_string(b"x")
    zone.bucket(env.account_id, "someone-elses-bucket", None).blob("keep").upload_from_string(b"x")
    zone.bucket(env.account_id, "churn-gcp-prod-raw-x", {**labels, "environment": "prod"}).blob(
        "keep"
    ).upload_from_string(b"x")
    return {"model": model, "endpoint": endpoint, "foreign_model": foreign, "artifacts": artifacts}


def test_prod_without_or_with_a_wrong_name_is_refused_and_nothing_changes(gcp, tmp_path: Path) -> None:
    zone = LandingZone(gcp, tmp_path / "p")
    zone.write_spec(prod_protection=False)
    zone.apply("prod")
    missing = teardown(zone, env="prod")
    assert missing.exit_code == EXIT_REFUSED and f"--confirm {PROJECT}" in missing.output
    wrong = teardown(zone, "--confirm", "fraud-detect", env="prod")
    assert wrong.exit_code == EXIT_REFUSED and "nothing was destroyed" in wrong.output
    assert [r for r in gcp.state.requests if r.method != "GET"] == []
    assert len(gcp.state.endpoints) == 1


def test_deletion_protection_refuses_even_with_the_name(gcp, tmp_path: Path) -> None:
    zone = LandingZone(gcp, tmp_path / "p")
    zone.write_spec(prod_protection=True)
    result = teardown(zone, "--confirm", PROJECT, env="prod")
    assert result.exit_code == EXIT_PROTECTED and "deletion protection is on" in result.output


def test_non_interactive_dev_needs_yes(zone: LandingZone) -> None:
    result = teardown(zone)
    assert result.exit_code == EXIT_REFUSED and "--yes" in result.output


def test_dry_run_lists_every_step_and_changes_nothing(zone: LandingZone) -> None:
    seeded = seed_out_of_band(zone)
    result = teardown(zone, "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "would cancel training job churn-gcp-dev-20261203-000002-abc1234" in out
    assert f"would undeploy model 601 from {seeded['endpoint']}" in out
    assert f"would delete model {seeded['model']}" in out
    assert seeded["foreign_model"] not in out
    assert f"would delete 4 object version(s) from bucket {seeded['artifacts']}" in out
    assert "someone-elses-bucket" not in out and "churn-gcp-prod-raw-x" not in out
    assert "would schedule destruction of key version" in out
    assert "dry run: nothing was changed" in out
    assert [r for r in zone.fake.state.requests if r.method != "GET" and "entries:list" not in r.path] == []
    assert object_count(zone.env().account_id, seeded["artifacts"]) == 4  # 3 + the job defaults


@needs_terraform
def test_teardown_removes_the_environment_and_only_it(zone: LandingZone) -> None:
    seeded = seed_out_of_band(zone)
    apply_root(zone)
    result = teardown(zone, "--yes")
    assert result.exit_code == 0, result.output
    assert "nothing left" in result.output
    state = zone.fake.state
    # Jobs: the running one cancelled, then both deleted; endpoint undeployed, then deleted; model deleted.
    assert zone.fake.calls("POST", r"customJobs/702:cancel$")
    assert state.jobs == {}
    assert state.endpoints == {}
    assert list(state.models) == [seeded["foreign_model"]]
    # Keys cannot be deleted on GCP: every version of the environment's keys is scheduled for destruction.
    assert {v["state"] for key in state.keys.values() for v in key["versions"]} == {"DESTROY_SCHEDULED"}
    # The destroy ran (the stand-in deleted the buckets, which mlgen had emptied) and the state was saved.
    client = storage_client(zone.env().account_id)
    assert client.lookup_bucket(seeded["artifacts"]) is None
    assert list((zone.project_dir / "infra/envs/dev/backups").glob("terraform-*.tfstate"))
    # The state bucket is kept without --include-state; other environments' and unlabelled buckets survive.
    assert "kept: gcs-bucket gs://churn-gcp-dev-tfstate-5d41402a" in result.output
    assert object_count(zone.env().account_id, "someone-elses-bucket") == 1
    assert object_count(zone.env().account_id, "churn-gcp-prod-raw-x") == 1


@needs_terraform
def test_something_left_is_listed_and_exits_1(zone: LandingZone) -> None:
    labels = naming.labels(zone.env())
    zone.fake.state.assets += [
        {
            "name": "//run.googleapis.com/projects/churn-gcp-dev/locations/us-central1/services/mlflow",
            "assetType": "run.googleapis.com/Service",
            "labels": labels,
        },
        {
            "name": "//pubsub.googleapis.com/projects/churn-gcp-dev/topics/other-team",
            "assetType": "pubsub.googleapis.com/Topic",
            "labels": {**labels, "project": "other-team"},
        },
    ]
    apply_root(zone)
    result = teardown(zone, "--yes")
    assert result.exit_code == 1
    assert "left: run.googleapis.com/Service run.googleapis.com/projects/churn-gcp-dev" in result.output
    assert "other-team" not in result.output
    assert "1 resource(s) of churn-gcp-dev are left" in result.output


def test_a_job_that_does_not_stop_in_time_halts_the_teardown(zone: LandingZone) -> None:
    from mlgen.clouds.gcp.ops.adapter import GcpOps
    from mlgen.ops.context import load_context
    from mlgen.ops.errors import OpsError

    seed_out_of_band(zone)
    zone.fake.state.cancel_to = "JOB_STATE_CANCELLING"
    ops = GcpOps(load_context(zone.project_dir, "dev"))
    ops.poll_s = 0
    jobs = ops.running_jobs()
    assert jobs == ["churn-gcp-dev-20261203-000002-abc1234"]
    with pytest.raises(OpsError, match="still stopping after 0 s"):
        ops.stop_jobs_and_wait(jobs, dry_run=False, echo=lambda _: None, timeout_s=0)
    zone.fake.state.jobs[f"{zone.location()}/customJobs/702"]["state"] = "JOB_STATE_CANCELLED"
    messages: list[str] = []
    ops.stop_jobs_and_wait(jobs, dry_run=False, echo=messages.append, timeout_s=60)
    assert messages[-1] == "    churn-gcp-dev-20261203-000002-abc1234: Stopped"


@needs_terraform
def test_without_cloud_asset_the_sweep_still_lists_each_service_and_says_so(zone: LandingZone) -> None:
    zone.fake.state.services[zone.env().account_id].discard("cloudasset.googleapis.com")
    apply_root(zone)
    # A model left behind after a release: the Vertex listing finds it without the asset index.
    stray = f"{zone.location()}/models/777"
    result_before = teardown(zone, "--dry-run")
    assert "warning: no Cloud Asset search" in result_before.stderr
    zone.fake.state.models[stray] = {
        "name": stray,
        "displayName": "late",
        "labels": naming.labels(zone.env()),
    }
    result = teardown(zone, "--yes")
    assert result.exit_code == 0, result.output  # the stray model is deleted in step 3
    assert stray not in zone.fake.state.models
