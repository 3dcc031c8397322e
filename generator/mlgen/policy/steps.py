"""Whole-project steps of `mlgen check` that are not checkov checks: drift and terraform fmt."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from mlgen import SPEC_FILENAME as SPEC_FILE
from mlgen.policy.report import FAILED, PASSED, SKIPPED, StepResult

FMT_TIMEOUT_S = 120


def run_drift_step(project_dir: Path) -> StepResult:
    """Does the tree still match what mlgen.yaml generates? (the generator's own drift check)."""
    if not (project_dir / SPEC_FILE).is_file():
        return StepResult("drift", SKIPPED, f"not run: no {SPEC_FILE} in {project_dir}")
    import click

    from mlgen.pipeline import drift_paths

    try:
        paths = sorted(drift_paths(project_dir))
    except click.ClickException as error:
        # A bad spec (SpecError) or a spec that cannot be generated: report it as the step's failure.
        return StepResult(
            "drift",
            FAILED,
            f"{SPEC_FILE} cannot be generated, so drift cannot be checked: {error.format_message()}",
        )
    except OSError as error:
        return StepResult("drift", FAILED, f"drift check could not read the project: {error}")
    if paths:
        return StepResult(
            "drift",
            FAILED,
            f"{len(paths)} file(s) differ from what {SPEC_FILE} generates; run `mlgen generate` and commit",
            tuple(paths),
        )
    return StepResult("drift", PASSED, f"generated files match {SPEC_FILE}")


def run_fmt_step(project_dir: Path, terraform: str | None = None) -> StepResult:
    """`terraform fmt -check -recursive`: every .tf file is in canonical format."""
    binary = terraform or shutil.which("terraform")
    if not binary:
        return StepResult("terraform fmt", SKIPPED, "not run: terraform not found on PATH")
    if not any(project_dir.rglob("*.tf")):
        return StepResult("terraform fmt", SKIPPED, "not run: no .tf files")
    try:
        completed = subprocess.run(
            [binary, "fmt", "-check", "-recursive", "-list=true", "-no-color", "."],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=FMT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return StepResult("terraform fmt", FAILED, f"terraform fmt could not run: {error}")
    files = tuple(sorted(line.strip() for line in completed.stdout.splitlines() if line.strip()))
    if completed.returncode == 0:
        return StepResult("terraform fmt", PASSED, "all Terraform files are formatted")
    if files:
        return StepResult(
            "terraform fmt", FAILED, f"{len(files)} file(s) need `terraform fmt -recursive`", files
        )
    return StepResult("terraform fmt", FAILED, (completed.stderr or completed.stdout).strip()[:500])
