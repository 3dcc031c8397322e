"""The Terraform steps of the ops commands (state backup, destroy), run as subprocesses.

The binary is `terraform` on PATH, or MLGEN_TERRAFORM (tests point it at the real binary with a CLI config).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from mlgen.ops.base import Echo
from mlgen.ops.errors import OpsError


def terraform_binary() -> str:
    binary = os.environ.get("MLGEN_TERRAFORM", "terraform")
    if shutil.which(binary) is None:
        raise OpsError(f"{binary} is not on PATH: install Terraform (>= 1.11) to run this step")
    return binary


def _run(root: Path, args: list[str], *, capture: bool) -> subprocess.CompletedProcess[str]:
    if not root.is_dir():
        raise OpsError(f"{root} does not exist: run `mlgen generate` first")
    command = [terraform_binary(), f"-chdir={root}", *args]
    result = subprocess.run(command, capture_output=capture, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout or "").strip()[-2000:] if capture else ""
        raise OpsError(f"`terraform {' '.join(args)}` failed in {root} (exit {result.returncode}). {detail}")
    return result


def init(root: Path) -> None:
    _run(root, ["init", "-input=false", "-no-color"], capture=True)


def backup_state(root: Path, backups: Path, echo: Echo) -> Path:
    """terraform state pull → <backups>/terraform-<UTC time>.tfstate; refuse to go on if empty."""
    init(root)
    state = _run(root, ["state", "pull"], capture=True).stdout
    if not state.strip():
        raise OpsError(f"the state of {root} is empty; refusing to go on without a backup")
    backups.mkdir(parents=True, exist_ok=True)
    path = backups / f"terraform-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.tfstate"
    path.write_text(state, encoding="utf-8")
    echo(f"    state saved to {path}")
    return path


def destroy(root: Path) -> None:
    # Output streams to the terminal: a destroy takes minutes and the user should see it progress.
    _run(root, ["destroy", "-input=false", "-auto-approve", "-no-color"], capture=False)


def plan_destroy(root: Path) -> None:
    init(root)
    _run(root, ["plan", "-destroy", "-input=false", "-no-color"], capture=False)


def plan_to_file(root: Path, plan_file: str) -> bool:
    """terraform init, then plan into ``plan_file`` (relative to root), streaming; True when it changes something."""
    init(root)
    command = [terraform_binary(), f"-chdir={root}", "plan", "-input=false", "-lock-timeout=5m"]
    # -detailed-exitcode: 0 no changes, 2 changes, anything else an error.
    result = subprocess.run([*command, "-detailed-exitcode", f"-out={plan_file}"], check=False)
    if result.returncode not in (0, 2):
        raise OpsError(f"`terraform plan` failed in {root} (exit {result.returncode}); nothing was applied")
    return result.returncode == 2


def apply_plan_file(root: Path, plan_file: str) -> None:
    """Apply exactly the plan the user saw; output streams (an endpoint takes minutes to create)."""
    _run(root, ["apply", "-input=false", "-lock-timeout=5m", plan_file], capture=False)
