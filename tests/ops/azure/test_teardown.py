"""`mlgen teardown` on Azure end to end: the fake ARM and blob service, and a real `terraform` for the
state backup and the destroy. The environment root is a tiny root whose `terraform_data` resource calls the
fake on destroy to do what destroying the landing zone does (the resource group goes, the Key Vault becomes
soft-deleted), so the order of the steps around the destroy is the real one. The test adds what jobs and
releases make outside Terraform and another project's resources, then checks the fake.
Wall time: a few seconds (terraform_data is built into Terraform: no provider to load)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ops.azure import zone
from tests.ops.azure.cli import assert_versions_pinned, mlgen
from tests.ops.azure.fake_azure import FakeAzure

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.plan import EnvironmentPlan

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")

ROOT = """\
terraform {
  required_version = ">= 1.11"
}

# Stands for the landing zone: destroying it does to the fake what destroying the zone does to Azure.
resource "terraform_data" "zone" {
  provisioner "local-exec" {
    when    = destroy
    command = "PYTHON on_destroy.py"
  }
}
"""

ON_DESTROY = """\
import json, urllib.request
body = json.dumps(BODY).encode()
request = urllib.request.Request("URL", data=body, method="POST", headers={"Content-Type": "application/json"})
urllib.request.urlopen(request, timeout=10)
"""


def write_root(directory: Path, fake: FakeAzure, body: dict) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf").write_text(ROOT.replace("PYTHON", sys.executable), encoding="utf-8")
    script = ON_DESTROY.replace("BODY", repr(body)).replace("URL", f"{fake.base}/control/destroy")
    (directory / "on_destroy.py").write_text(script, encoding="utf-8")
    for args in (
        ["init", "-input=false", "-no-color"],
        ["apply", "-auto-approve", "-input=false", "-no-color"],
    ):
        subprocess.run(["terraform", f"-chdir={directory}", *args], check=True, capture_output=True)


def environment_root(project: Path, fake: FakeAzure, env: EnvironmentPlan, *, purge_protection: bool) -> None:
    paths = Paths(env)
    deleted = {
        "properties": {
            "purgeProtectionEnabled": purge_protection,
            "scheduledPurgeDate": "2027-03-03T00:00:00Z",
        }
    }
    write_root(
        project / "infra/envs" / env.name,
        fake,
        {"remove": [paths.resource_group], "put": {paths.deleted_key_vault: deleted}},
    )


@pytest.fixture
def scene(azure: FakeAzure, tmp_path: Path):
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    paths = Paths(env)
    zone.seed(azure, env)
    tags = naming.tags(env)
    endpoint = naming.online_endpoint(env, "default")
    # What jobs and releases made outside Terraform.
    azure.put(paths.job("churn-az-dev-running"), {"properties": {"status": "Running"}})
    azure.put(paths.deployment(endpoint, "r-live"), {"properties": {}})
    # Its autoscale setting (release tags it), and one somebody made by hand in the group (untagged).
    azure.put(
        paths.autoscale_setting(endpoint, "r-live"),
        {"tags": tags, "properties": {"targetResourceUri": paths.deployment(endpoint, "r-live")}},
    )
    azure.put(f"{paths.autoscale_settings}/hand-made", {"properties": {}})
    azure.put(paths.endpoint("churn-az-dev-scratch"), {"tags": tags, "properties": {}})
    azure.put(paths.deployment("churn-az-dev-scratch", "blue"), {"properties": {}})
    account = naming.storage_account(env)
    azure.put_blob(account, "raw", "train", b"")  # the directory of an ADLS Gen2 account
    azure.put_blob(account, "raw", "train/a.csv", b"v1")
    azure.put_blob(account, "raw", "train/a.csv", b"v2")  # versioned: v1 stays as a previous version
    azure.put_blob(account, "processed", "b.parquet", b"x")
    # Another project's things, which must stay.
    other = (
        f"{paths.subscription}/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/stother"
    )
    azure.put(other, {"tags": {"project": "other", "environment": "dev"}})
    return project, env, paths, other


def test_teardown_removes_everything_tagged_and_purges_the_vault(azure: FakeAzure, scene) -> None:
    project, env, paths, other = scene
    environment_root(project, azure, env, purge_protection=False)
    bootstrap = {"remove": [paths.state_resource_group]}
    write_root(project / "infra/bootstrap/dev", azure, bootstrap)

    result = mlgen(
        project, "teardown", "--env", "dev", "--yes", "--include-state", "--job-stop-timeout", "60"
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "cancelling training job churn-az-dev-running" in out and "churn-az-dev-running: Canceled" in out
    endpoint = naming.online_endpoint(env, "default")
    assert f"deleting online deployment {endpoint}/r-live" in out
    setting = naming.autoscale_setting(endpoint, "r-live")
    assert f"deleting autoscale setting {setting}" in out and "hand-made" not in out
    deletes = [r.path.rsplit("/", 1)[-1] for r in azure.arm("DELETE")]
    assert deletes.index(setting) < deletes.index("r-live")  # the setting before its target
    assert "deleting online endpoint churn-az-dev-scratch (not in the spec)" in out
    assert f"deleting online endpoint {endpoint}" not in out  # Terraform's own: its destroy removes it
    account = naming.storage_account(env)
    assert f"deleted 3 blob(s) and version(s) from {account}/raw" in out
    assert f"purging the soft-deleted key vault {naming.key_vault(env)}" in out
    assert out.rstrip().endswith("churn-az-dev: nothing left")

    assert list((project / "infra/envs/dev/backups").glob("terraform-*.tfstate"))
    assert all(
        not versions
        for (acct, _), blobs in azure.blobs.items()
        if acct == account
        for versions in blobs.values()
    )
    assert azure.blobs[(env.state.bucket, "tfstate")] == {}  # --include-state empties it before its destroy
    (purge,) = azure.arm("POST", "/purge")
    assert purge.path == f"/arm{paths.deleted_key_vault}/purge"
    assert paths.deleted_key_vault.lower() not in azure.resources
    assert other.lower() in azure.resources
    # Order: jobs cancelled before deployments deleted, blobs emptied before the purge.
    mutations = [
        r for r in azure.requests if r.method in {"POST", "DELETE"} and not r.path.startswith("/control")
    ]
    kinds = [
        (
            "cancel"
            if r.path.endswith("/cancel")
            else "purge"
            if r.path.endswith("/purge")
            else "blob"
            if r.path.startswith("/blob/")
            else "arm"
        )
        for r in mutations
    ]
    assert kinds.index("cancel") < kinds.index("arm") < kinds.index("blob") < kinds.index("purge")
    assert_versions_pinned(azure)


def test_purge_protection_is_reported_and_a_leftover_fails_the_run(azure: FakeAzure, scene) -> None:
    project, env, paths, _ = scene
    environment_root(project, azure, env, purge_protection=True)
    # Something tagged that Terraform does not manage and that is not in the resource group.
    stray = (
        f"{paths.subscription}/resourceGroups/rg-manual/providers/Microsoft.Network/publicIPAddresses/pip-1"
    )
    azure.put(stray, {"tags": naming.tags(env)})
    # A tagged autoscale setting outside the resource group: the sweep lists it too.
    scaler = (
        f"{paths.subscription}/resourceGroups/rg-manual/providers/Microsoft.Insights/autoscalesettings/as-1"
    )
    azure.put(scaler, {"tags": naming.tags(env)})

    result = mlgen(project, "teardown", "--env", "dev", "--yes")
    assert result.exit_code == 1
    out = result.output
    assert "purge protection is on, so Azure forbids a purge" in out and "until 2027-03-03T00:00:00Z" in out
    assert not azure.arm("POST", "/purge")
    assert f"left: Microsoft.Network/publicIPAddresses {stray}" in out
    assert "kept: Microsoft.Storage/storageAccounts" in out  # the state store, without --include-state
    assert f"left: Microsoft.Insights/autoscalesettings {scaler}" in out
    assert "2 resource(s) of churn-az-dev are left" in out
    assert json.loads((project / "infra/envs/dev/terraform.tfstate").read_text())["resources"] == []
