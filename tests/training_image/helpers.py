"""Helpers for the training-image tests: run the real entrypoint in a clean, simulated environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = REPO_ROOT / "training_images" / "training"
# No __pycache__ inside training_images/: mlgen copies that tree into generated projects and wheels.
sys.dont_write_bytecode = True
if str(TRAINING_DIR) not in sys.path:
    sys.path.insert(0, str(TRAINING_DIR))

# Variables a developer's shell (or CI) might carry that would make the adapter see a platform.
_PLATFORM_PREFIXES = ("SM_", "AIP_", "AZUREML_", "MLFLOW_", "MLGEN_", "TORCHELASTIC_")
_PLATFORM_NAMES = {
    "TRAINING_JOB_ARN", "TRAINING_JOB_NAME", "CLOUD_ML_JOB_ID", "CLUSTER_SPEC", "WORLD_SIZE", "RANK",
    "LOCAL_RANK", "NODE_RANK", "GROUP_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
}  # fmt: skip

# Flags that keep a run to the trainer itself (no MLflow import): seconds instead of tens of seconds.
NO_TRACKING = ["--mlflow", "false", "--save_model", "false"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_PLATFORM_PREFIXES) and key not in _PLATFORM_NAMES
    }
    env.update(
        PYTHONPATH=str(TRAINING_DIR), OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1"
    )
    env.update(extra)
    return env


def run_entrypoint(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "mlgen_train", *args],
        env=env,
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def events(stdout: str, kind: str | None = None) -> list[dict]:
    parsed = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return [event for event in parsed if kind is None or event.get("event") == kind]


def final_state(checkpoint_dir: Path) -> dict:
    import torch
    from mlgen_train.checkpoint import load_latest_checkpoint

    loaded = load_latest_checkpoint(checkpoint_dir)
    assert loaded is not None, f"no valid checkpoint in {checkpoint_dir}"
    return loaded.state | {"_step": loaded.step, "_torch": torch}
