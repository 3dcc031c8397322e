"""Helpers shared by the serving-image tests (a uniquely named module: `conftest` is not importable safely
when several test directories each have one)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVING_DIR = REPO_ROOT / "training_images" / "serving"
HERE = Path(__file__).resolve().parent
COLUMNS = [f"x{i}" for i in range(8)]
# Platform variables a developer's shell (or CI) might carry; the server must only see what a test sets.
_SCRUB_PREFIXES = (
    "SERVING_",
    "AIP_",
    "AZUREML_",
    "SAGEMAKER_",
    "MLFLOW_",
    "STORAGE_EMULATOR_HOST",
    "SENTINEL_",
)

if str(SERVING_DIR) not in sys.path:
    sys.path.insert(0, str(SERVING_DIR))  # unit tests import model_server directly


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ModelStore:
    tracking_uri: str
    model_dir: Path  # a plain directory with MLmodel (what SageMaker/Azure/Vertex hand the container)
    registry_uri: str  # models:/mlp/1
    sentinel_dir: Path
    tensor_dir: Path  # the same network saved as pt2 (torch.export) with a tensor signature (-1, 8)
    pyfunc_dir: Path  # a non-PyTorch pyfunc model: name (string), x (double) -> 2x + len(name)
    rows: list[list[float]]  # sample inputs
    expected: list[float]  # MLflow pyfunc's own predictions for ``rows``


class ServerProcess:
    """``python -m model_server`` on a loopback port, with its log captured to a file."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path, args: tuple[str, ...] = ("serve",)):
        self.port = port
        self.log_path = log_path
        base = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES)}
        full_env = {
            **base,
            "SERVING_HOST": "127.0.0.1",
            "SERVING_WORKERS": "1",
            "SERVING_TORCH_THREADS": "1",
            "PYTHONPATH": str(SERVING_DIR),
            **env,
        }
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        # SERVING_TEST_PYTHON: run the server with another interpreter, e.g. a venv built from the image's
        # requirements.txt alone, to check the lock is enough without a Docker engine.
        python = os.environ.get("SERVING_TEST_PYTHON", sys.executable)
        self.process = subprocess.Popen(
            [python, "-m", "model_server", *args],
            cwd=SERVING_DIR,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_until(self, path: str, status: int = 200, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.process.returncode}:\n{self.log_text()[-3000:]}"
                )
            try:
                if httpx.get(self.url + path, timeout=2).status_code == status:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{path} did not answer {status} within {timeout}s:\n{self.log_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def metric_value(text: str, name: str, **labels: str) -> float:
    """Sum of the samples of ``name`` in Prometheus text whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        series, value = line.rsplit(" ", 1)
        if all(f'{key}="{wanted}"' in series for key, wanted in labels.items()):
            total += float(value)
    return total
