"""The serving Dockerfile passes hadolint and checkov, and its requirements are pinned and consistent."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from serving_helpers import SERVING_DIR, ServerProcess, free_port

DOCKERFILE = SERVING_DIR / "Dockerfile"
VENV_BIN = Path(sys.executable).parent
# Speed-only extras (httptools, uvloop) and cloud SDKs shared with other tests may drift in a shared
# environment without changing what these tests prove; these may not.
BEHAVIOUR_PACKAGES = {"mlflow-skinny", "torch", "numpy", "pandas", "starlette", "uvicorn", "orjson"}


def _tool(name: str) -> str:
    found = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if not found:
        pytest.skip(f"{name} is not installed (it is in the test extra)")
    return found


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([A-Za-z0-9_.]+)", line)
        assert match, f"{path.name}: {line!r} is not pinned as name==version"
        pins[match[1].lower().replace("_", "-")] = match[2]
    return pins


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [_tool("hadolint"), str(DOCKERFILE)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_checkov_dockerfile_checks_all_pass(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: PLW1510 - the exit code is asserted through the report
        [
            _tool("checkov"),
            "-f",
            str(DOCKERFILE),
            "--framework",
            "dockerfile",
            "-o",
            "json",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    report = json.loads(result.stdout)
    summary = report["summary"]
    failed = [(c["check_id"], c["check_name"]) for c in report["results"]["failed_checks"]]
    assert summary["failed"] == 0, failed
    passed = {c["check_id"] for c in report["results"]["passed_checks"]}
    # The ones this image exists to satisfy: HEALTHCHECK, non-root USER, a pinned (non-latest) base.
    assert {"CKV_DOCKER_2", "CKV_DOCKER_3", "CKV_DOCKER_7"} <= passed


def test_requirements_are_fully_pinned_and_agree_with_the_dockerfile() -> None:
    lock = _pins(SERVING_DIR / "requirements.txt")
    direct = _pins(SERVING_DIR / "requirements.in")
    assert {name: lock.get(name) for name in direct} == direct, (
        "requirements.txt is stale: run lock_requirements.py"
    )
    text = DOCKERFILE.read_text()
    base = re.search(r"^FROM\s+(\S+)", text, re.MULTILINE)[1]
    assert ":" in base and not base.endswith(":latest")
    if base.split("/")[-1].startswith(("pytorch", "torch")):
        assert "torch" not in lock, "the base image provides torch; requirements must not reinstall it"
    else:
        torch_arg = re.search(r"^ARG TORCH_VERSION=(\S+)", text, re.MULTILINE)[1]
        assert lock["torch"] == torch_arg
    assert not any(name.startswith("nvidia-") for name in lock), "CUDA wheels leaked into the CPU lock"


def test_the_tested_stack_is_the_shipped_stack() -> None:
    """The packages that decide serving behaviour are pinned at the versions the tests just ran with."""
    direct = {
        name: v for name, v in _pins(SERVING_DIR / "requirements.in").items() if name in BEHAVIOUR_PACKAGES
    }
    assert set(direct) == BEHAVIOUR_PACKAGES
    installed = {}
    for name in direct:
        try:
            installed[name] = importlib.metadata.version(name).split("+")[0]
        except importlib.metadata.PackageNotFoundError:
            installed[name] = None
    assert installed == direct


def test_dockerfile_runs_the_server_module_with_serve() -> None:
    text = DOCKERFILE.read_text()
    assert 'ENTRYPOINT ["python", "-m", "model_server"]' in text
    assert 'CMD ["serve"]' in text
    for source in re.findall(r"^COPY(?:\s+--\S+)*\s+(\S+)\s+\S+$", text, re.MULTILINE):
        assert (SERVING_DIR / source).exists(), source
    assert (SERVING_DIR / "model_server" / "__main__.py").is_file()


def test_healthcheck_command_reports_the_server_state(local_server: ServerProcess) -> None:
    env = {**os.environ, "PYTHONPATH": str(SERVING_DIR)}
    command = [sys.executable, "-m", "model_server.healthcheck"]
    up = subprocess.run(  # noqa: PLW1510 - the exit code is the assertion
        command, env={**env, "SERVING_PORT": str(local_server.port)}, timeout=30, cwd=SERVING_DIR
    )
    assert up.returncode == 0
    down = subprocess.run(  # noqa: PLW1510 - the exit code is the assertion
        command,
        env={**env, "SERVING_PORT": str(free_port())},
        timeout=30,
        cwd=SERVING_DIR,
        capture_output=True,
    )
    assert down.returncode == 1
    assert b"unhealthy" in down.stderr
