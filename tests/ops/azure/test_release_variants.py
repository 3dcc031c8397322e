"""Canary releases on Azure: an endpoint with named variants gets one online deployment per variant and the
traffic split of the release file (`--weights`, else the spec's weights); `--variant` replaces that
variant's deployment only; `--weights` alone moves traffic without deploying; a whole release promotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.paths import Paths


@pytest.fixture
def project(azure: FakeAzure, tmp_path: Path) -> Path:
    directory = zone.write_spec(tmp_path / "p", variants=True)
    env = zone.environment(directory)
    zone.seed(azure, env)
    azure.registry_tags["serving"] = {"git-1", "git-2", "git-3"}
    for version in ("3", "4"):
        azure.put(Paths(env).model_version("churn", version), {"properties": {"modelType": "custom_model"}})
    return directory


def release(project: Path, *args: str):
    return mlgen(project, "release", "--env", "dev", *args, "--apply", "--yes")


def state(azure: FakeAzure, project: Path) -> tuple[dict, set[str]]:
    env = zone.environment(project)
    endpoint = Paths(env).endpoint(naming.online_endpoint(env, "default"))
    traffic = azure.resources[endpoint.lower()]["properties"]["traffic"]
    return traffic, {d["name"] for d in azure.children(f"{endpoint}/deployments")}


def test_canary_variant_weights_and_promotion(azure: FakeAzure, project: Path) -> None:
    model3 = Paths(zone.environment(project)).model_version("churn", "3")
    model4 = Paths(zone.environment(project)).model_version("churn", "4")
    blue1 = naming.online_deployment("git-1", model3, "blue")
    green1 = naming.online_deployment("git-1", model3, "green")

    whole = release(project, "--image-tag", "git-1", "--model", "models:/churn/3")
    assert whole.exit_code == 0, whole.output
    assert state(azure, project) == ({blue1: 90, green1: 10}, {blue1, green1})
    tags = {
        r.path.rsplit("/", 1)[-1]: r.body["tags"]["mlgen-variant"] for r in azure.arm("PUT", "/deployments/")
    }
    assert tags == {blue1: "blue", green1: "green"}

    canary = release(project, "--image-tag", "git-2", "--model", "models:/churn/4", "--variant", "green")
    assert canary.exit_code == 0, canary.output
    green2 = naming.online_deployment("git-2", model4, "green")
    assert state(azure, project) == ({blue1: 90, green2: 10}, {blue1, green2})
    assert "variant green" in canary.stderr and f"deleting the previous deployment {green1}" in canary.stderr

    puts = len(azure.arm("PUT", "/deployments/"))
    shift = release(project, "--weights", "blue=50,green=50")
    assert shift.exit_code == 0, shift.output
    assert state(azure, project) == ({blue1: 50, green2: 50}, {blue1, green2})
    assert len(azure.arm("PUT", "/deployments/")) == puts  # traffic only: nothing deployed

    promote = release(project, "--image-tag", "git-2", "--model", "models:/churn/4")
    assert promote.exit_code == 0, promote.output
    blue2 = naming.online_deployment("git-2", model4, "blue")
    # The weights of the last --weights are kept; both variants serve the promoted release.
    assert state(azure, project) == ({blue2: 50, green2: 50}, {blue2, green2})
    assert_versions_pinned(azure)


def test_zero_weight_keeps_the_deployment_without_traffic(azure: FakeAzure, project: Path) -> None:
    assert release(project, "--image-tag", "git-1", "--model", "models:/churn/3").exit_code == 0
    result = release(project, "--weights", "blue=100,green=0")
    assert result.exit_code == 0, result.output
    traffic, deployments = state(azure, project)
    assert sorted(traffic.values()) == [0, 100] and len(deployments) == 2
