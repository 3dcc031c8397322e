"""`mlgen check` on a CDKTF project: it synthesizes the app and checks the synthesized stacks.

The same spec generated as HCL and as CDKTF must get the same checkov and ML-policy results; a
policy violation written into the app's main.py must be reported on the stack's root path.

Wall time: about 80 s (three `mlgen check` runs with checkov, two of them on the CDKTF app).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlgen.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
CDKTF_EXAMPLE = REPO_ROOT / "examples/aws-production-cdktf"
HCL_EXAMPLE = REPO_ROOT / "examples/aws-production"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("node") is None or importlib.util.find_spec("cdktn") is None,
        reason="synthesizing needs Node.js and the cdktn package (pip install -e '.[test]')",
    ),
]


def check_json(project: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", str(project), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_cdktf_project_gets_the_same_results_as_the_hcl_project(tmp_path: Path) -> None:
    shutil.copytree(CDKTF_EXAMPLE, tmp_path / "cdktf")
    shutil.copytree(HCL_EXAMPLE, tmp_path / "hcl")
    code, cdktf = check_json(tmp_path / "cdktf")
    assert code == 0, cdktf["failures"]
    assert cdktf["summary"]["steps"] == {
        "cdktf synth": "passed",
        "drift": "passed",
        "terraform fmt": "passed",
    }
    _, hcl = check_json(tmp_path / "hcl")
    # The CDKTF workflow has more steps (each Terraform job synthesizes the app first), so checkov runs
    # more github_actions checks on it; all of them pass (exit 0 above). The Terraform results are equal.
    workflows = {
        name: summary["summary"]["frameworks"].pop("github_actions")
        for name, summary in (("cdktf", cdktf), ("hcl", hcl))
    }
    assert set(workflows["cdktf"]) == set(workflows["hcl"]) == {"passed"}, workflows
    assert workflows["cdktf"]["passed"] > workflows["hcl"]["passed"]
    assert cdktf["summary"]["frameworks"] == hcl["summary"]["frameworks"]
    assert cdktf["summary"]["policies"] == hcl["summary"]["policies"]
    assert not (tmp_path / "cdktf/infra/cdktf/cdktf.out").exists(), "check must not write into the project"


def test_a_violation_in_main_py_is_reported_on_the_synthesized_root(tmp_path: Path) -> None:
    project = tmp_path / "cdktf"
    shutil.copytree(CDKTF_EXAMPLE, project)
    main_py = project / "infra/cdktf/main.py"
    text = main_py.read_text(encoding="utf-8")
    prod = text.index("class EnvsProdStack")
    # prod's storage module loses its deletion protection (MLG006).
    storage = text.index('"storage",', prod)
    position = text.index('"deletion_protection": True', storage)
    edited = (
        text[:position]
        + '"deletion_protection": False'
        + text[position + len('"deletion_protection": True') :]
    )
    main_py.write_text(edited, encoding="utf-8")
    code, report = check_json(project)
    assert code == 1
    failures = {(f["check_id"], f["file"]) for f in report["failures"]}
    assert ("MLG006", "infra/envs/prod/main.tf") in failures, failures
    drift = next(step for step in report["steps"] if step["name"] == "drift")
    assert drift["status"] == "failed" and "infra/cdktf/main.py" in drift["files"]
