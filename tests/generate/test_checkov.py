"""checkov over each generated project: zero failed checks; every skip carries a written reason."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

# The golden examples are what the generator writes for each blueprint (test_examples.py proves it),
# with CI federation and data-scientist access switched on, so they exercise the most code.
# checkov reads HCL roots; a format: cdktf example has none until its app is synthesized, which
# `mlgen check` does (tests/policy/test_check_cdktf.py and tests/generate/test_mlgen_check.py).
EXAMPLES = sorted(
    path.parent
    for path in (REPO_ROOT / "examples").glob("*/mlgen.yaml")
    if "\nformat: cdktf\n" not in path.read_text(encoding="utf-8")
)


def run_checkov(directory: Path) -> list[dict]:
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_SKIP_DOWNLOAD": "TRUE"}
    command = [
        sys.executable,
        "-m",
        "checkov.main",
        "-d",
        str(directory),
        "--quiet",
        "--compact",
        "-o",
        "json",
        "--framework",
        "terraform",
        "dockerfile",
        "github_actions",
        "--skip-download",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=600)
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-3000:]}"
    reports = json.loads(result.stdout)
    return reports if isinstance(reports, list) else [reports]


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_generated_project_has_no_failed_checkov_checks(example: Path) -> None:
    reports = run_checkov(example)
    failed = [
        f"{check['check_id']} {check['resource']} {check['file_path']}:{check['file_line_range'][0]}"
        for report in reports
        for check in report["results"]["failed_checks"]
    ]
    assert failed == []
    frameworks = {report["check_type"] for report in reports}
    assert {"terraform", "github_actions"} <= frameworks


def test_every_inline_skip_has_a_reason(generated_project: Path) -> None:
    skip = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(:?)(.*)")
    unexplained = []
    for path in sorted(generated_project.rglob("*")):
        if not path.is_file() or path.suffix not in {".tf", "", ".yml", ".yaml"}:
            continue
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1):
            match = skip.search(line)
            if match and (not match.group(2) or len(match.group(3).strip()) < 10):
                unexplained.append(f"{path.relative_to(generated_project)}:{number}: {line.strip()}")
    assert unexplained == []
