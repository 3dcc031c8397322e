"""Traceable names: training jobs are <project>-<env>-<yyyymmdd-hhmmss>-<short git sha>."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

NO_GIT = "nogit"
# SageMaker (and Vertex/Azure ML) job names: at most 63 characters, letters, digits and hyphens.
MAX_JOB_NAME = 63


def git_short_sha(project_dir: Path) -> str:
    """The project's HEAD commit (7 hex digits), or 'nogit' outside a repository."""
    try:
        result = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "--short=7", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return NO_GIT
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else NO_GIT


def git_is_dirty(project_dir: Path) -> bool:
    result = subprocess.run(
        ["git", "-C", str(project_dir), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    return result.returncode != 0 or bool(result.stdout.strip())


def job_name(prefix: str, sha: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = f"-{stamp}-{sha}"
    # Keep the stamp and sha whole (they make the name unique and traceable); shorten the prefix if needed.
    return f"{prefix[: MAX_JOB_NAME - len(suffix)].rstrip('-')}{suffix}"


def parse_key_values(pairs: tuple[str, ...], option: str) -> dict[str, str]:
    """`--hp lr=0.1 --hp epochs=3` → {"lr": "0.1", "epochs": "3"}; exit 2 naming the bad pair."""
    import click

    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not key=value (e.g. {option} lr=0.001)", param_hint=option)
        result[key.strip()] = value.strip()
    return result
