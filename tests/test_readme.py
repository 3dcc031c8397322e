"""README.md stays true: generated sections current, the two set-up commands present, CI runs the test one."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO_ROOT

TEST_COMMAND = 'pip install -e ".[test]" && pytest'


def test_generated_readme_sections_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/readme_sections.py", "--check"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_readme_shows_both_commands_and_ci_runs_exactly_the_test_one() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    assert "pip install . && mlgen init demo --cloud aws" in readme
    assert TEST_COMMAND in readme
    ci_lines = [line.strip() for line in (REPO_ROOT / ".ci/run").read_text().splitlines()]
    assert TEST_COMMAND in ci_lines


def test_readme_lists_every_checkov_skip() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    for path in sorted((REPO_ROOT / "modules").rglob("*.tf")):
        for check in re.findall(r"checkov:skip=([A-Z0-9_]+):", path.read_text()):
            assert f"`{check}`" in readme, f"{check} in {path} is not listed in the README"
