"""`mlgen train submit|list|status|logs|stop` on Azure, end to end against the fake ARM and blob service:
the plan comes from a spec with cloud: azure, the job defaults from the blob the landing zone writes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import ARM_AUDIENCE, FakeAzure, expected_version, make_token

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.paths import Paths


@pytest.fixture
def project(azure: FakeAzure, tmp_path: Path) -> Path:
    directory = zone.write_spec(tmp_path / "p")
    zone.seed(azure, zone.environment(directory))
    return directory


def test_submit_registers_the_image_then_puts_the_command_job(azure: FakeAzure, project: Path) -> None:
    result = mlgen(
        project, "train", "submit", "--env", "dev", "--hp", "epochs=3", "--image-tag", "git-1234567"
    )
    assert result.exit_code == 0, result.output
    name = result.stdout.strip().splitlines()[-1]
    assert name.startswith("churn-az-dev-") and name.endswith("-nogit")
    assert "1 × Standard_NC4as_T4_v3 (spot, 1 process(es) per node)" in result.stderr
    paths = Paths(zone.environment(project))
    (environment,) = azure.arm("PUT", "/environments/")
    assert environment.path == f"/arm{paths.environment_version('churn-az-dev-training', 'git-1234567')}"
    registry = naming.container_registry(zone.environment(project))
    assert environment.body["properties"]["image"] == f"{registry}.azurecr.io/training:git-1234567"
    (job,) = azure.arm("PUT", "/jobs/")
    assert job.path == f"/arm{paths.job(name)}"
    properties = job.body["properties"]
    assert properties["command"].endswith("--output-dir ${{outputs.output}} --epochs 3")
    assert properties["environmentId"] == paths.environment_version("churn-az-dev-training", "git-1234567")
    assert properties["distribution"]["distributionType"] == "PyTorch"
    assert_versions_pinned(azure)


def test_a_second_submit_reuses_the_environment_version(azure: FakeAzure, project: Path) -> None:
    assert mlgen(project, "train", "submit", "--env", "dev").exit_code == 0
    assert mlgen(project, "train", "submit", "--env", "dev").exit_code == 0
    assert len(azure.arm("PUT", "/environments/")) == 1
    assert len(azure.arm("PUT", "/jobs/")) == 2


def test_dry_run_prints_the_body_and_submits_nothing(azure: FakeAzure, project: Path) -> None:
    result = mlgen(project, "train", "submit", "--env", "dev", "--dry-run")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["properties"]["jobType"] == "Command"
    assert not azure.arm("PUT")


def test_an_override_the_cluster_cannot_honour_exits_1_without_traceback(
    azure: FakeAzure, project: Path
) -> None:
    result = mlgen(project, "train", "submit", "--env", "dev", "--on-demand")
    assert result.exit_code == 1
    assert "has Spot priority; a job cannot change it" in result.output and "Traceback" not in result.output
    assert not azure.arm("PUT")


def test_missing_or_old_job_defaults_say_what_to_do(azure: FakeAzure, project: Path) -> None:
    env = zone.environment(project)
    azure.blobs[(naming.storage_account(env), "artifacts")].clear()
    missing = mlgen(project, "train", "submit", "--env", "dev")
    assert (
        missing.exit_code == 1
        and "is not applied yet" in missing.output
        and "make bootstrap" in missing.output
    )
    azure.put_blob(
        naming.storage_account(env), "artifacts", naming.JOB_DEFAULTS_BLOB, b'{"schema_version": 0}'
    )
    old = mlgen(project, "train", "submit", "--env", "dev")
    assert old.exit_code == 1 and "schema_version 0; this mlgen reads version 1" in old.output


def test_job_defaults_from_before_the_datastores_stop_before_any_cloud_write(
    azure: FakeAzure, project: Path
) -> None:
    """A landing zone applied before mlgen registered datastores wrote abfss:// outputs (same schema
    version): Azure ML would refuse the job, so submit says to apply the landing zone and PUTs nothing."""
    env = zone.environment(project)
    old = {**zone.job_defaults(env, Paths(env))}
    old["output_uri"] = f"abfss://artifacts@{naming.storage_account(env)}.dfs.core.windows.net/jobs/"
    azure.put_blob(
        naming.storage_account(env), "artifacts", naming.JOB_DEFAULTS_BLOB, json.dumps(old).encode()
    )
    result = mlgen(project, "train", "submit", "--env", "dev")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "output_uri 'abfss://artifacts@" in result.output and "is not a datastore path" in result.output
    assert not azure.arm("PUT")


def test_the_fake_refuses_outputs_azure_ml_would_refuse(azure: FakeAzure, project: Path) -> None:
    """The fake judges what it is sent (so the submit tests above prove the datastore paths): an abfss://
    output, or a datastore the workspace lacks, is a 400 like Azure ML's."""
    body = json.loads(mlgen(project, "train", "submit", "--env", "dev", "--dry-run").stdout)
    paths = Paths(zone.environment(project))
    for uri, problem in (
        ("abfss://artifacts@acct.dfs.core.windows.net/jobs/x/", "is not a datastore path"),
        ("azureml://datastores/nowhere/paths/jobs/x/", "datastore 'nowhere' not found"),
    ):
        body["properties"]["outputs"]["output"]["uri"] = uri
        status, answer = azure_put(azure, paths.job("bad"), body)
        assert status == 400 and problem in answer["error"]["message"]


def azure_put(azure: FakeAzure, resource_id: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{azure.base}/arm{resource_id}?api-version={expected_version(resource_id)}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {make_token(ARM_AUDIENCE)}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_denied_job_defaults_read_names_the_role_and_the_network(azure: FakeAzure, project: Path) -> None:
    account = naming.storage_account(zone.environment(project))
    azure.blob_denied.add(account)
    result = mlgen(project, "train", "submit", "--env", "dev")
    assert result.exit_code == 1
    assert "(AuthorizationPermissionMismatch): the caller needs 'Storage Blob Data Reader'" in result.output
    assert "inside the VNet" in result.output


def test_list_pages_and_keeps_only_this_environment(azure: FakeAzure, project: Path) -> None:
    paths = Paths(zone.environment(project))
    names = [f"churn-az-dev-2026120{i}-000000-abc1234" for i in range(1, 4)]
    for i, name in enumerate(names):
        azure.put(
            paths.job(name),
            {"properties": {"status": "Completed"}, "systemData": {"createdAt": f"2026-12-0{i + 1}"}},
        )
    azure.put(
        paths.job("someone-else-1"),
        {"properties": {"status": "Running"}, "systemData": {"createdAt": "2026"}},
    )
    result = mlgen(project, "train", "list", "--env", "dev")
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == names[::-1]  # newest first, the other project's job left out
    assert "Completed" in result.stdout
    # Four jobs at two per page: the list followed nextLink.
    assert any("$skipToken" in r.query for r in azure.arm("GET", "/jobs"))
    assert mlgen(project, "train", "list", "--env", "dev", "--limit", "1").stdout.split()[0] == names[-1]


def test_status_logs_and_stop(azure: FakeAzure, project: Path) -> None:
    name = mlgen(project, "train", "submit", "--env", "dev").stdout.strip()
    status = mlgen(project, "train", "status", "--env", "dev", name)
    assert status.exit_code == 0 and f"{name}: InProgress / Queued" in status.stdout
    env = zone.environment(project)
    logs_account = f"stmlw{naming.storage_account(env)[2:]}"
    prefix = f"ExperimentRun/dcid.{name}/user_logs/"
    azure.blobs[(logs_account, "azureml")] = {}
    azure.put_blob(logs_account, "azureml", f"{prefix}std_log_process_0.txt", b"step 1\nstep 2\npartial")
    logs = mlgen(project, "train", "logs", "--env", "dev", name)
    assert logs.stdout.splitlines() == ["[std_log_process_0.txt] step 1", "[std_log_process_0.txt] step 2"]
    (ranged,) = [r for r in azure.requests if r.path.endswith("std_log_process_0.txt")]
    assert ranged.headers["Range"] == "bytes=0-"
    stop = mlgen(project, "train", "stop", "--env", "dev", name)
    assert stop.exit_code == 0 and f"stopping {name}" in stop.stdout
    (cancel,) = azure.arm("POST", "/cancel")
    assert cancel.path == f"/arm{Paths(env).job(name)}/cancel"
    assert_versions_pinned(azure)


def test_unknown_job_and_foreign_job(azure: FakeAzure, project: Path) -> None:
    unknown = mlgen(project, "train", "status", "--env", "dev", "churn-az-dev-nope")
    assert unknown.exit_code == 1 and "no training job churn-az-dev-nope" in unknown.output
    foreign = mlgen(project, "train", "stop", "--env", "dev", "other-job")
    assert foreign.exit_code == 2


def test_follow_reads_only_new_bytes(azure: FakeAzure, project: Path) -> None:
    from mlgen.clouds.azure.ops.adapter import AzureOps
    from mlgen.ops.context import load_context

    ops = AzureOps(load_context(project, "dev"))
    name = "churn-az-dev-20261203-000000-abc"
    env = zone.environment(project)
    account = f"stmlw{naming.storage_account(env)[2:]}"
    azure.blobs[(account, "azureml")] = {}
    blob = f"ExperimentRun/dcid.{name}/user_logs/std_log.txt"
    azure.put_blob(account, "azureml", blob, b"one\ntw")
    since: dict = {}
    assert ops.job_log_lines(name, since) == ["[std_log.txt] one"]
    assert ops.job_log_lines(name, since) == []  # only the partial line: nothing new yet
    azure.put_blob(account, "azureml", blob, b"one\ntwo\nthree\n")
    assert ops.job_log_lines(name, since) == ["[std_log.txt] two", "[std_log.txt] three"]
    assert since == {blob: len(b"one\ntwo\nthree\n")}


def test_without_a_credential_the_message_says_how_to_log_in(
    azure: FakeAzure, project: Path, monkeypatch
) -> None:
    monkeypatch.delenv("IDENTITY_ENDPOINT")
    monkeypatch.delenv("IDENTITY_HEADER")
    monkeypatch.setenv("PATH", "/nonexistent")  # no az CLI either
    monkeypatch.setenv(
        "IMDS_ENDPOINT", f"{azure.base}/no-imds"
    )  # IMDS answers 404 fast instead of timing out
    result = mlgen(project, "train", "list", "--env", "dev")
    assert result.exit_code == 1
    assert (
        "no Azure credential could get a token: run `az login`" in result.output
        and "Traceback" not in result.output
    )


def test_wait_follows_the_job_to_its_end(azure: FakeAzure, project: Path, monkeypatch) -> None:
    from mlgen.ops import follow

    monkeypatch.setattr(follow, "POLL_S", 0.0)
    monkeypatch.setattr(follow.follow_job, "__defaults__", (0.0, True))
    env = zone.environment(project)
    account = f"stmlw{naming.storage_account(env)[2:]}"
    azure.blobs[(account, "azureml")] = {}
    original = azure.put

    def scripted(resource_id: str, body: dict) -> dict:
        resource = original(resource_id, body)
        if "/jobs/" in resource_id:
            resource["properties"]["_statuses"] = ["Queued", "Running", "Running", "Failed"]
            name = resource_id.rsplit("/", 1)[-1]
            azure.put_blob(
                account, "azureml", f"ExperimentRun/dcid.{name}/user_logs/std_log.txt", b"epoch 1\n"
            )
        return resource

    monkeypatch.setattr(azure, "put", scripted)
    result = mlgen(project, "train", "submit", "--env", "dev", "--wait")
    assert result.exit_code == 1  # the job failed
    name = result.stdout.strip()
    assert f"{name}: InProgress / Running" in result.stderr and f"{name}: Failed / Failed" in result.stderr
    assert result.stderr.count("[std_log.txt] epoch 1") == 1


def test_throttling_is_retried(azure: FakeAzure, project: Path) -> None:
    paths = Paths(zone.environment(project))
    azure.throttle[("GET", paths.jobs.lower())] = 2
    result = mlgen(project, "train", "list", "--env", "dev")
    assert result.exit_code == 0, result.output
    assert len([r for r in azure.arm("GET") if r.path.lower() == f"/arm{paths.jobs}".lower()]) == 3
