"""`moved` blocks keep what is deployed. Each module is applied as it was before some of its resources
moved into a shared submodule (the harness plugins apply offline; the files as they were are in
fixtures/before_submodule/<module>/), then planned as it is today. Every resource must be moved or unchanged:
a create or destroy would replace a live security group under running jobs and endpoints, or MLflow's role."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.terraform_harness import Harness

REPO_ROOT = Path(__file__).resolve().parents[2]
BEFORE = Path(__file__).with_name("fixtures") / "before_submodule"
TFVARS = REPO_ROOT / "tests" / "modules" / "aws" / "workload_tfvars"

# module -> (the address a moved resource had, where it is now, the module's variables)
CASES = {
    "gpu_compute": (
        "aws_security_group.compute[0]",
        "module.security_group[0].aws_security_group.this",
        json.loads((TFVARS / "gpu_compute.tfvars.json").read_text()),
    ),
    "serving": (
        "aws_security_group.endpoints[0]",
        "module.security_group[0].aws_security_group.this",
        json.loads((TFVARS / "serving.tfvars.json").read_text()),
    ),
    "tracking": (
        "aws_iam_role.tracking[0]",
        "module.role[0].aws_iam_role.this",
        json.loads((TFVARS / "tracking.tfvars.json").read_text()),
    ),
    "mlflow_app": (
        "aws_iam_role.app",
        "module.role.aws_iam_role.this",
        {
            key: value
            for key, value in json.loads((TFVARS / "tracking.tfvars.json").read_text()).items()
            if key not in {"enabled", "tracking_server_size"}
        },
    ),
}


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


@pytest.mark.parametrize("module", sorted(CASES))
def test_resources_move_into_the_submodule_without_replacement(
    harness: Harness, tmp_path: Path, module: str
) -> None:
    old_address, new_address, variables = CASES[module]
    modules = tmp_path / "aws"
    shutil.copytree(REPO_ROOT / "modules" / "aws", modules, ignore=shutil.ignore_patterns(".terraform*"))
    root = modules / module
    (root / "zz_backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    (root / "terraform.tfvars.json").write_text(json.dumps(variables))
    today = {path.name: (root / path.name).read_text() for path in (BEFORE / module).iterdir()}

    for path in (BEFORE / module).iterdir():
        shutil.copy(path, root / path.name)
    _terraform(harness, root, "init", "-input=false", "-no-color")
    _terraform(harness, root, "apply", "-auto-approve", "-refresh=false", "-input=false", "-no-color")
    state = json.loads(_terraform(harness, root, "show", "-json"))
    assert old_address in {r["address"] for r in state["values"]["root_module"]["resources"]}

    for name, text in today.items():
        (root / name).write_text(text)
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
    assert moved.get(old_address) == new_address, moved
