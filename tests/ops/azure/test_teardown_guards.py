"""Azure teardown guards run before anything is touched: prod needs the typed project name, deletion
protection refuses, a non-interactive run needs --yes; and a dry run lists every step and changes nothing
(the fake saw no request but GETs)."""

from __future__ import annotations

from pathlib import Path

from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.ops.errors import EXIT_PROTECTED, EXIT_REFUSED


def changes(fake: FakeAzure) -> list[str]:
    return [
        f"{r.method} {r.path}" for r in fake.requests if r.method != "GET" and not r.path.startswith("/msi/")
    ]


def test_prod_without_or_with_a_wrong_name_is_refused(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p", prod_protection=False)
    zone.seed(azure, zone.environment(project, "prod"))
    before = dict(azure.resources)
    missing = mlgen(project, "teardown", "--env", "prod")
    assert missing.exit_code == EXIT_REFUSED and "--confirm churn-az" in missing.output
    wrong = mlgen(project, "teardown", "--env", "prod", "--confirm", "churn")
    assert wrong.exit_code == EXIT_REFUSED and "nothing was destroyed" in wrong.output
    assert azure.resources == before and changes(azure) == []


def test_deletion_protection_refuses_even_with_the_name(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p", prod_protection=True)
    result = mlgen(project, "teardown", "--env", "prod", "--confirm", "churn-az")
    assert result.exit_code == EXIT_PROTECTED and "deletion protection is on" in result.output
    assert azure.requests == []


def test_non_interactive_dev_needs_yes(azure: FakeAzure, tmp_path: Path) -> None:
    result = mlgen(zone.write_spec(tmp_path / "p"), "teardown", "--env", "dev")
    assert result.exit_code == EXIT_REFUSED and "--yes" in result.output
    assert azure.requests == []


def test_dry_run_lists_every_step_and_changes_nothing(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    paths = Paths(env)
    zone.seed(azure, env)
    endpoint = naming.online_endpoint(env, "default")
    azure.put(paths.deployment(endpoint, "r-old"), {"properties": {}})
    azure.put(paths.autoscale_setting(endpoint, "r-old"), {"tags": naming.tags(env), "properties": {}})
    azure.put(paths.job("churn-az-dev-1"), {"properties": {"status": "Running"}})
    azure.put(paths.job("churn-az-dev-2"), {"properties": {"status": "Completed"}})
    azure.put_blob(naming.storage_account(env), "raw", "train/a.csv", b"1")
    before = {key: dict(value) for key, value in azure.resources.items()}

    result = mlgen(project, "teardown", "--env", "dev", "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "dry run: nothing is changed" in out and out.rstrip().endswith("dry run: nothing was changed")
    for step in range(1, 9):
        assert f"==> [{step}/8]" in out
    assert "would cancel training job churn-az-dev-1" in out and "churn-az-dev-2" not in out
    assert f"would delete online deployment {endpoint}/r-old" in out
    assert f"would delete autoscale setting {naming.autoscale_setting(endpoint, 'r-old')}" in out
    assert f"would delete 1 blob(s) and version(s) from {naming.storage_account(env)}/raw" in out
    assert (
        f"would delete 1 blob(s) and version(s) from {naming.storage_account(env)}/artifacts" in out
    )  # job defaults
    assert f"would purge the soft-deleted key vault {naming.key_vault(env)}" in out
    assert f"kept: Microsoft.Storage/storageAccounts {paths.state_storage_account(env.state.bucket)}" in out
    assert "present: Microsoft.MachineLearningServices/workspaces" in out
    assert changes(azure) == [] and azure.resources == before
    assert_versions_pinned(azure)


def test_only_what_carries_both_tags_is_listed(azure: FakeAzure, tmp_path: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    zone.seed(azure, env)
    other = f"{Paths(env).subscription}/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/stother"
    azure.put(other, {"tags": {"project": "churn-az", "environment": "prod"}})
    azure.put(other + "2", {"tags": {"project": "someone-else", "environment": "dev"}})
    azure.put(other + "3", {})
    result = mlgen(project, "teardown", "--env", "dev", "--dry-run")
    assert "stother" not in result.output
    sweep = [r for r in azure.arm("GET") if r.path.endswith(("/resources", "/resourcegroups"))]
    assert {r.query["$filter"] for r in sweep} == {"tagName eq 'project' and tagValue eq 'churn-az'"}
