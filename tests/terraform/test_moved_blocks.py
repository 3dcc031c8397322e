"""`moved` blocks keep what is deployed: a module is applied as it was before its security group moved into
`workload_security_group` (the harness plugins apply offline), then planned as it is today. Every resource
must be moved or unchanged: a create or destroy would replace a live security group under running jobs and
endpoints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.terraform_harness import Harness

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).with_name("fixtures")
TFVARS = REPO_ROOT / "tests" / "modules" / "aws" / "workload_tfvars"

# module -> (its network.tf before the move, the reference main.tf made to the group then, and now)
BEFORE = {
    "gpu_compute": ("gpu_compute_network_before_submodule.tf", "aws_security_group.compute[0].id"),
    "serving": ("serving_network_before_submodule.tf", "aws_security_group.endpoints[0].id"),
}
NOW_REFERENCE = "module.security_group[0].id"


def _terraform(harness: Harness, directory: Path, *args: str) -> str:
    result = harness.run(directory, *args)
    assert result.returncode == 0, (
        f"terraform {' '.join(args)}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )
    return result.stdout


def _changed(change: dict) -> dict:
    before, after = change.get("before") or {}, change.get("after") or {}
    after = {
        **after,
        **{k: "(known after apply)" for k, v in (change.get("after_unknown") or {}).items() if v},
    }
    return {
        k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)
    }


@pytest.mark.parametrize("module", sorted(BEFORE))
def test_security_group_moves_into_the_submodule_without_replacement(
    harness: Harness, tmp_path: Path, module: str
) -> None:
    modules = tmp_path / "aws"
    shutil.copytree(REPO_ROOT / "modules" / "aws", modules, ignore=shutil.ignore_patterns(".terraform*"))
    root = modules / module
    (root / "zz_backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    shutil.copy(TFVARS / f"{module}.tfvars.json", root / "terraform.tfvars.json")
    now_network = (root / "network.tf").read_text()
    now_main = (root / "main.tf").read_text()
    fixture, old_reference = BEFORE[module]
    assert NOW_REFERENCE in now_main

    (root / "network.tf").write_text((FIXTURES / fixture).read_text())
    (root / "main.tf").write_text(now_main.replace(NOW_REFERENCE, old_reference))
    _terraform(harness, root, "init", "-input=false", "-no-color")
    _terraform(harness, root, "apply", "-auto-approve", "-refresh=false", "-input=false", "-no-color")
    before = json.loads(_terraform(harness, root, "show", "-json"))
    old_groups = [
        r["address"]
        for r in before["values"]["root_module"]["resources"]
        if r["type"] == "aws_security_group"
    ]
    assert old_groups, "the module as it was must have made its security group"

    (root / "network.tf").write_text(now_network)
    (root / "main.tf").write_text(now_main)
    _terraform(harness, root, "init", "-input=false", "-no-color")
    _terraform(harness, root, "plan", "-refresh=false", "-input=false", "-out=moved.tfplan", "-no-color")
    changes = json.loads(_terraform(harness, root, "show", "-json", "moved.tfplan"))["resource_changes"]
    replaced = {
        f"{c['address']} {'/'.join(c['change']['actions'])}": _changed(c["change"])
        for c in changes
        if c["change"]["actions"] not in (["no-op"], ["read"])
    }
    assert replaced == {}, f"created, updated or destroyed instead of moved: {str(replaced)[:3000]}"
    moved = {c["previous_address"]: c["address"] for c in changes if c.get("previous_address")}
    assert moved.get(old_groups[0]) == "module.security_group[0].aws_security_group.this", moved
    assert all(address.startswith("module.security_group[0].") for address in moved.values()), moved
