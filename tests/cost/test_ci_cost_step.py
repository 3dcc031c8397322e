"""The generated workflow's cost step, run as GitHub would run it: real git history, real `mlgen cost`.

Wall time: about 5 s (git and three mlgen subprocesses).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from tests.conftest import REPO_ROOT

WORKFLOW = REPO_ROOT / "examples/aws-starter/.github/workflows/mlgen-checks.yml"
pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("mlgen") is None, reason="needs git and mlgen on PATH"
)


def _step(name: str) -> dict:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    (step,) = [step for step in workflow["jobs"]["policy"]["steps"] if step.get("name") == name]
    return step


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=60)


def _pull_request(tmp_path: Path, change: bool) -> Path:
    """A clone whose origin/main has the starter spec and whose HEAD changes endpoint_zones (or not)."""
    origin, clone = tmp_path / "origin", tmp_path / "clone"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main")
    spec = (REPO_ROOT / "examples/aws-starter/mlgen.yaml").read_text()
    (origin / "mlgen.yaml").write_text(spec)
    _git(origin, "add", "mlgen.yaml")
    _git(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    if change:
        (clone / "mlgen.yaml").write_text(spec + "network:\n  endpoint_zones: 2\n")
    return clone


def _run_step(clone: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str]:
    step = _step("Cost estimate")
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
    }
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}  # the ref reaches bash as data, not code
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result, summary.read_text() if summary.exists() else ""


def test_a_spec_change_puts_the_estimate_and_its_change_in_the_job_summary(tmp_path: Path) -> None:
    result, summary = _run_step(_pull_request(tmp_path, change=True), tmp_path)
    assert result.returncode == 0, result.stderr
    assert summary.startswith("## Cost estimate: churn-starter")
    assert "(+51.10 vs base)" in summary  # 7 endpoints × one more zone × 730 h × 0.01


def test_an_unchanged_spec_gets_the_estimate_without_a_comparison(tmp_path: Path) -> None:
    result, summary = _run_step(_pull_request(tmp_path, change=False), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "## Cost estimate: churn-starter" in summary and "vs base" not in summary


def test_the_checkout_fetches_history_for_the_base_spec() -> None:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    checkout = workflow["jobs"]["policy"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["persist-credentials"] is False
