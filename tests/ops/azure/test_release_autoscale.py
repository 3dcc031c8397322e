"""Endpoint autoscale on Azure: each online deployment `release --apply` makes starts at the spec's
min_replicas and gets an Azure Monitor autoscale setting (Microsoft.Insights, 2022-10-01) with the spec's
range on the deployment's CPU metric; the previous deployment's setting goes before the deployment; a fixed
count (min = max) gets none; a changed range updates the setting without a new deployment."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.paths import Paths

METRIC_NAMESPACE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments"


def set_replicas(project: Path, minimum: int, maximum: int) -> None:
    spec = project / "mlgen.yaml"
    text = spec.read_text()
    start = text.index("      min_replicas:")
    end = text.index("\n", text.index("\n", start) + 1) if "max_replicas" in text else text.index("\n", start)
    spec.write_text(f"{text[:start]}      min_replicas: {minimum}\n      max_replicas: {maximum}{text[end:]}")


def scene(azure: FakeAzure, tmp_path: Path, *, variants: bool = False) -> Path:
    project = zone.write_spec(tmp_path / "p", variants=variants)
    env = zone.environment(project)
    zone.seed(azure, env)
    azure.registry_tags["serving"] = {"git-1", "git-2"}
    azure.put(Paths(env).model_version("churn", "3"), {"properties": {"modelType": "custom_model"}})
    return project


def release(project: Path, tag: str):
    return mlgen(
        project,
        "release",
        "--env",
        "dev",
        "--image-tag",
        tag,
        "--model",
        "models:/churn/3",
        "--apply",
        "--yes",
    )


@pytest.fixture
def project(azure: FakeAzure, tmp_path: Path) -> Path:
    directory = scene(azure, tmp_path)
    set_replicas(directory, 2, 5)
    return directory


def test_a_deployment_gets_the_specs_range(azure: FakeAzure, project: Path) -> None:
    env = zone.environment(project)
    paths = Paths(env)
    endpoint = naming.online_endpoint(env, "default")
    result = release(project, "git-1")
    assert result.exit_code == 0, result.output
    deployment = naming.online_deployment("git-1", paths.model_version("churn", "3"))
    (created,) = azure.arm("PUT", "/deployments/")
    assert created.body["sku"]["capacity"] == 2  # starts at min_replicas
    (put,) = azure.arm("PUT", "/autoscalesettings/")
    setting = naming.autoscale_setting(endpoint, deployment)
    assert put.path == f"/arm{paths.resource_group}/providers/Microsoft.Insights/autoscalesettings/{setting}"
    assert put.query["api-version"] == "2022-10-01"
    body = put.body
    target = paths.deployment(endpoint, deployment)
    assert body["location"] == "westeurope"
    assert body["tags"] == naming.tags(env)
    properties = body["properties"]
    assert properties["enabled"] is True and properties["targetResourceUri"] == target
    (profile,) = properties["profiles"]
    assert profile["capacity"] == {"minimum": "2", "maximum": "5", "default": "2"}
    out, scale_in = profile["rules"]
    for rule in (out, scale_in):
        trigger = rule["metricTrigger"]
        assert trigger["metricName"] == "CpuUtilizationPercentage"
        assert trigger["metricNamespace"] == METRIC_NAMESPACE and trigger["metricResourceUri"] == target
        assert rule["scaleAction"]["type"] == "ChangeCount" and rule["scaleAction"]["value"] == "1"
    assert out["metricTrigger"]["operator"] == "GreaterThan" and out["scaleAction"]["direction"] == "Increase"
    assert scale_in["metricTrigger"]["operator"] == "LessThan"
    assert scale_in["scaleAction"]["direction"] == "Decrease"
    assert out["metricTrigger"]["threshold"] > scale_in["metricTrigger"]["threshold"]
    assert out["scaleAction"]["cooldown"] == "PT5M" and scale_in["scaleAction"]["cooldown"] == "PT10M"
    # After the deployment succeeded, before the traffic moved to it.
    order = [
        r.path.rsplit("/", 1)[-1]
        for r in azure.arm("PUT")
        if deployment in r.path or r.path.endswith(endpoint)
    ]
    assert order == [deployment, setting, endpoint]
    assert "autoscale 2–5 instances on CpuUtilizationPercentage" in result.stderr
    assert_versions_pinned(azure)


def test_the_old_deployments_setting_goes_first(azure: FakeAzure, project: Path) -> None:
    env = zone.environment(project)
    paths = Paths(env)
    endpoint = naming.online_endpoint(env, "default")
    model = paths.model_version("churn", "3")
    old, new = naming.online_deployment("git-1", model), naming.online_deployment("git-2", model)
    assert release(project, "git-1").exit_code == 0
    result = release(project, "git-2")
    assert result.exit_code == 0, result.output
    deletes = [r.path.rsplit("/", 1)[-1] for r in azure.arm("DELETE")]
    assert deletes == [naming.autoscale_setting(endpoint, old), old]
    remaining = [s["name"] for s in azure.children(paths.autoscale_settings)]
    assert remaining == [naming.autoscale_setting(endpoint, new)]


def test_a_changed_range_updates_the_setting_only(azure: FakeAzure, project: Path) -> None:
    assert release(project, "git-1").exit_code == 0
    again = release(project, "git-1")
    assert again.exit_code == 0 and "already serves" in again.stderr
    assert len(azure.arm("PUT", "/autoscalesettings/")) == 1
    set_replicas(project, 2, 8)
    changed = release(project, "git-1")
    assert changed.exit_code == 0, changed.output
    assert len(azure.arm("PUT", "/deployments/")) == 1  # no new deployment
    latest = azure.arm("PUT", "/autoscalesettings/")[-1]
    assert latest.body["properties"]["profiles"][0]["capacity"] == {
        "minimum": "2",
        "maximum": "8",
        "default": "2",
    }


def test_a_fixed_count_gets_no_setting_and_loses_an_old_one(azure: FakeAzure, project: Path) -> None:
    env = zone.environment(project)
    assert release(project, "git-1").exit_code == 0
    set_replicas(project, 3, 3)
    result = release(project, "git-1")
    assert result.exit_code == 0, result.output
    assert "min_replicas = max_replicas: no autoscale" in result.stderr
    assert azure.children(Paths(env).autoscale_settings) == []
    (deleted,) = azure.arm("DELETE", "/autoscalesettings/")
    assert deleted.query["api-version"] == "2022-10-01"


def test_variants_split_the_range(azure: FakeAzure, tmp_path: Path) -> None:
    project = scene(azure, tmp_path, variants=True)
    set_replicas(project, 2, 10)
    result = release(project, "git-1")
    assert result.exit_code == 0, result.output
    # blue 90 %: ceil(0.9 × 2)–ceil(0.9 × 10) = 2–9; green 10 %: 1–1, a fixed count without a setting.
    (put,) = azure.arm("PUT", "/autoscalesettings/")
    assert put.body["tags"]["mlgen-variant"] == "blue"
    assert put.body["properties"]["profiles"][0]["capacity"] == {
        "minimum": "2",
        "maximum": "9",
        "default": "2",
    }
    capacities = sorted(r.body["sku"]["capacity"] for r in azure.arm("PUT", "/deployments/"))
    assert capacities == [1, 2]
