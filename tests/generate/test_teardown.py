"""The generated teardown scripts hand over to `mlgen teardown` (one implementation; its behaviour is tested
against moto in tests/ops/). Here: the real generated script, run with a stand-in `mlgen` on PATH that
records its arguments. Wall time ~2 s.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.generate.conftest import init_project

FAKE_MLGEN = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$MLGEN_ARGS_FILE"
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_project(tmp_path_factory.mktemp("teardown") / "demo", "production")


def run_script(
    project: Path, env: str, *args: str, tmp_path: Path, with_mlgen: bool = True
) -> tuple[int, str, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if with_mlgen:
        fake = bin_dir / "mlgen"
        fake.write_text(FAKE_MLGEN)
        fake.chmod(0o755)
    recorded = tmp_path / "args"
    environment = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "MLGEN_ARGS_FILE": str(recorded),
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [str(project / f"scripts/teardown-{env}.sh"), *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    calls = recorded.read_text().splitlines() if recorded.exists() else []
    return result.returncode, result.stdout + result.stderr, calls


def test_script_runs_mlgen_teardown_for_its_environment_and_passes_options(
    production: Path, tmp_path: Path
) -> None:
    code, output, args = run_script(production, "prod", "--dry-run", "--confirm", "demo", tmp_path=tmp_path)
    assert code == 0, output
    assert args == [
        "teardown",
        "--env",
        "prod",
        "--project-dir",
        str(production),
        "--dry-run",
        "--confirm",
        "demo",
    ]


def test_script_without_mlgen_says_how_to_install_it(production: Path, tmp_path: Path) -> None:
    code, output, args = run_script(production, "dev", tmp_path=tmp_path, with_mlgen=False)
    assert code == 1 and "pip install" in output and args == []


def test_script_header_lists_the_guards_of_its_environment(production: Path) -> None:
    prod = (production / "scripts/teardown-prod.sh").read_text()
    dev = (production / "scripts/teardown-dev.sh").read_text()
    assert "--confirm" in prod and "deletion protection" in prod
    assert "without --yes" in dev and "deletion protection" not in dev
