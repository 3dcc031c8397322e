"""`mlgen release` on Azure: the release file is written as on AWS; --apply creates an online deployment
with the serving image's routes and port and a concurrency above 1 (micro-batching), waits for it through
ARM's asynchronous-operation protocol, moves all traffic to it, then deletes the previous deployment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.ops.errors import EXIT_REFUSED


@pytest.fixture
def project(azure: FakeAzure, tmp_path: Path) -> Path:
    directory = zone.write_spec(tmp_path / "p")
    env = zone.environment(directory)
    zone.seed(azure, env)
    azure.registry_tags["serving"] = {"git-1", "git-2"}
    azure.put(Paths(env).model_version("churn", "3"), {"properties": {"modelType": "custom_model"}})
    return directory


def release(project: Path, tag: str, *extra: str, model: str = "models:/churn/3"):
    return mlgen(project, "release", "--env", "dev", "--image-tag", tag, "--model", model, *extra)


def test_apply_deploys_switches_traffic_and_removes_the_old_one(azure: FakeAzure, project: Path) -> None:
    env = zone.environment(project)
    paths = Paths(env)
    endpoint = naming.online_endpoint(env, "default")
    model = paths.model_version("churn", "3")
    first = release(project, "git-1", "--apply", "--yes")
    assert first.exit_code == 0, first.output
    written = json.loads((project / "infra/envs/dev/release.auto.tfvars.json").read_text())
    assert written == {"serving_release": {"image_tag": "git-1", "model_data_url": model}}

    (environment,) = azure.arm("PUT", "/environments/churn-az-dev-serving/")
    properties = environment.body["properties"]
    assert properties["image"] == f"{naming.container_registry(env)}.azurecr.io/serving:git-1"
    assert properties["inferenceConfig"] == {
        "livenessRoute": {"path": "/health", "port": 8080},
        "readinessRoute": {"path": "/ready", "port": 8080},
        "scoringRoute": {"path": "/predict", "port": 8080},
    }
    deployment = naming.online_deployment("git-1", model)
    (put,) = azure.arm("PUT", "/deployments/")
    assert put.path == f"/arm{paths.deployment(endpoint, deployment)}"
    body = put.body
    assert body["sku"] == {"name": "Default", "capacity": 1}
    assert body["properties"]["model"] == model
    assert body["properties"]["environmentId"] == paths.environment_version("churn-az-dev-serving", "git-1")
    assert body["properties"]["instanceType"] == "Standard_DS3_v2"
    assert body["properties"]["requestSettings"]["maxConcurrentRequestsPerInstance"] > 1
    assert (
        body["properties"]["readinessProbe"]["failureThreshold"]
        >= body["properties"]["livenessProbe"]["failureThreshold"]
    )
    assert body["tags"]["project"] == "churn-az" and body["tags"]["environment"] == "dev"
    (traffic,) = azure.arm("PUT", f"/onlineEndpoints/{endpoint}")[-1:]
    assert traffic.body["properties"]["traffic"] == {deployment: 100}
    # The endpoint's own settings survive the PUT (its PATCH cannot change traffic).
    assert traffic.body["properties"]["authMode"] == "AADToken"
    assert traffic.body["identity"]["type"] == "UserAssigned" and traffic.body["location"] == "westeurope"
    # Long-running operations were followed to their end, with progress on stderr.
    assert any(r.path.startswith("/arm/operations/") for r in azure.requests)
    assert f"deployment {deployment}: Succeeded" in first.stderr

    second = release(project, "git-2", "--apply", "--yes")
    assert second.exit_code == 0, second.output
    newer = naming.online_deployment("git-2", model)
    order = [
        (r.method, r.path.rsplit("/", 1)[-1])
        for r in azure.arm(contains=f"/onlineEndpoints/{endpoint}")
        if r.method != "GET"
    ]
    assert order[-3:] == [("PUT", newer), ("PUT", endpoint), ("DELETE", deployment)]
    assert [d["name"] for d in azure.children(f"{paths.endpoint(endpoint)}/deployments")] == [newer]
    assert "was: image git-1" in second.stdout
    assert_versions_pinned(azure)


def test_the_same_release_again_changes_nothing(azure: FakeAzure, project: Path) -> None:
    assert release(project, "git-1", "--apply", "--yes").exit_code == 0
    puts = len(azure.arm("PUT"))
    again = release(project, "git-1", "--apply", "--yes")
    assert (
        again.exit_code == 0
        and "already serves" in again.stderr
        and "already holds this release" in again.stdout
    )
    assert len(azure.arm("PUT")) == puts


def test_without_apply_only_the_file_is_written(azure: FakeAzure, project: Path) -> None:
    result = release(project, "git-1")
    assert result.exit_code == 0 and "re-run with --apply" in result.stdout
    assert not azure.arm("PUT", "/deployments/")


def test_apply_without_yes_where_nobody_can_be_asked_is_refused(azure: FakeAzure, project: Path) -> None:
    result = release(project, "git-1", "--apply")
    assert result.exit_code == EXIT_REFUSED and "--yes" in result.output
    assert (project / "infra/envs/dev/release.auto.tfvars.json").is_file()
    assert not azure.arm("PUT", "/deployments/")


def test_an_image_not_pushed_is_refused(azure: FakeAzure, project: Path) -> None:
    result = release(project, "git-9", "--apply", "--yes")
    assert (
        result.exit_code == 1
        and "no image serving:git-9" in result.output
        and "mlgen images push" in result.output
    )
    assert not azure.arm("PUT")


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("models:/churn@champion", "aliases and stages are not resolved on Azure"),
        ("runs:/abc/model", "register the run's model first"),
        ("s3://bucket/model.tar.gz", "is not a model URI for Azure"),
        ("models:/churn/4", "no model churn version 4"),
    ],
)
def test_bad_model_references(azure: FakeAzure, project: Path, model: str, message: str) -> None:
    result = release(project, "git-1", model=model)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_datastore_path_is_registered_once(azure: FakeAzure, project: Path) -> None:
    uri = "azureml://datastores/artifacts/paths/models/churn-az-dev-20261203-101010-abc/"
    assert release(project, "git-1", model=uri).exit_code == 0
    assert release(project, "git-1", model=uri).exit_code == 0
    (registered,) = azure.arm("PUT", "/models/churn-az-dev-serving/versions/")
    assert registered.body["properties"] == {
        "modelType": "custom_model",
        "modelUri": uri,
        "description": "registered by mlgen release",
        "tags": naming.tags(zone.environment(project)),
    }


def test_a_failed_deployment_stops_before_the_traffic_moves(azure: FakeAzure, project: Path) -> None:
    env = zone.environment(project)
    paths = Paths(env)
    endpoint = naming.online_endpoint(env, "default")
    deployment = naming.online_deployment("git-1", paths.model_version("churn", "3"))
    azure.failures[("PUT", paths.deployment(endpoint, deployment).lower())] = (400, "InvalidDeploymentSpec")
    result = release(project, "git-1", "--apply", "--yes")
    assert result.exit_code == 1 and "InvalidDeploymentSpec" in result.output
    assert not [r for r in azure.arm("PUT") if r.path.endswith(f"/onlineEndpoints/{endpoint}")]
    assert all(r.path.endswith("/deployments/" + deployment) for r in azure.arm("PUT", "/deployments/"))
    assert azure.resources[paths.endpoint(endpoint).lower()]["properties"]["traffic"] == {}


def test_a_deployment_whose_operation_fails_leaves_the_traffic_alone(azure: FakeAzure, project: Path) -> None:
    azure.failing_operations = True
    result = release(project, "git-1", "--apply", "--yes")
    assert result.exit_code == 1
    assert "ended Failed: ResourceNotReady: readiness probe failed" in result.output
    endpoint = naming.online_endpoint(zone.environment(project), "default")
    assert not [r for r in azure.arm("PUT") if r.path.endswith(f"/onlineEndpoints/{endpoint}")]


def test_an_operation_that_never_ends_times_out_with_what_to_do(
    azure: FakeAzure, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlgen.clouds.azure.ops import serving

    monkeypatch.setattr(serving, "DEPLOY_TIMEOUT_S", 0.2)
    monkeypatch.setenv("MLGEN_AZURE_POLL_S", "0.05")
    azure.stuck_operations = True
    result = release(project, "git-1", "--apply", "--yes")
    assert result.exit_code == 1
    assert "still running after 0 s; it goes on in Azure" in result.output
    assert "InProgress …" in result.stderr  # progress was shown while waiting
