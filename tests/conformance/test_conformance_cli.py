"""`python -m mlgen.conformance PATH`: prints findings, exit 1 when any; imports stay light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
GENERATOR = Path(__file__).resolve().parents[2] / "generator"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(GENERATOR)}
    return subprocess.run(
        [sys.executable, "-m", "mlgen.conformance", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_cli_exits_zero_on_a_conforming_tree() -> None:
    result = run(str(FIXTURES / "valid"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 findings" in result.stderr
    assert "note: not checked (no bundled schema for these providers): random (1)" in result.stderr


def test_cli_prints_openable_locations_and_exits_one() -> None:
    target = FIXTURES / "invalid" / "misspelled_attribute.tf"
    result = run(str(target))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        (
            f"{target.parent.as_posix()}/misspelled_attribute.tf:2: aws_s3_bucket.logs: bucket_prefx: "
            "unknown argument `bucket_prefx` (did you mean `bucket_prefix`?)"
        )
    ]


def test_cli_missing_path_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_importing_the_package_loads_no_schema_and_no_hcl2() -> None:
    code = (
        "import sys, mlgen.conformance as c\n"
        "from mlgen.conformance.schema import load_provider\n"
        "assert load_provider.cache_info().currsize == 0\n"
        "assert 'hcl2' not in sys.modules and 'checkov' not in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": str(GENERATOR)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_mlgen_start_up_does_not_import_conformance() -> None:
    env = {**os.environ, "PYTHONPATH": str(GENERATOR)}
    code = "import sys, mlgen, mlgen.cli\nassert 'mlgen.conformance' not in sys.modules\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
