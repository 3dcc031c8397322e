"""Fixtures for the serving image: real MLflow models in a real store, and the server as a real process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

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
    pyfunc_dir: Path  # a non-PyTorch pyfunc model: name (string), x (double) -> 2x + len(name)
    rows: list[list[float]]  # sample inputs
    expected: list[float]  # MLflow pyfunc's own predictions for ``rows``


@pytest.fixture(scope="session")
def model_store(tmp_path_factory: pytest.TempPathFactory) -> ModelStore:
    """Log the convention model (8 float columns in, one float out) with mlflow.pytorch to a real store."""
    import mlflow
    import numpy as np
    import pandas as pd
    import torch
    from mlflow.models import infer_signature

    sys.path.insert(0, str(HERE))
    import sentinel_model

    root = tmp_path_factory.mktemp("mlflow")
    tracking_uri = f"sqlite:///{root / 'mlflow.db'}"
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(tracking_uri)
    try:
        experiment = mlflow.create_experiment(
            "serving-tests", artifact_location=(root / "artifacts").as_uri()
        )
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
        rng = np.random.default_rng(0)
        frame = pd.DataFrame(rng.normal(size=(32, 8)).astype(np.float32), columns=COLUMNS)
        with torch.no_grad():
            target = net(torch.from_numpy(frame.to_numpy().copy()))[:, 0].numpy()
        signature = infer_signature(frame, target)
        # pip_requirements given so MLflow skips its slow requirement inference.
        with mlflow.start_run(experiment_id=experiment):
            mlflow.set_tags({"dataset_version": "ds-2026-11-01", "code_version": "abc1234"})
            info = mlflow.pytorch.log_model(
                net,
                name="model",
                signature=signature,
                input_example=frame.head(2),
                serialization_format="pickle",
                pip_requirements=["torch==2.13.0"],
                registered_model_name="mlp",
                metadata={"code_version": "abc1234", "dataset_version": "ds-2026-11-01"},
            )
            sentinel = mlflow.pytorch.log_model(
                sentinel_model.SentinelMLP(),
                name="sentinel",
                signature=signature,
                input_example=frame.head(2),
                serialization_format="pickle",
                pip_requirements=["torch==2.13.0"],
                code_paths=[str(HERE / "sentinel_model.py")],
            )
            pyfunc_frame = pd.DataFrame({"name": ["ab", "abcd"], "x": [1.5, -2.0]})
            pyfunc_info = mlflow.pyfunc.log_model(
                name="pyfunc",
                python_model=sentinel_model.NameScoreModel(),
                signature=infer_signature(pyfunc_frame, [5.0, 0.0]),
                input_example=pyfunc_frame,
                pip_requirements=["pandas"],
                code_paths=[str(HERE / "sentinel_model.py")],
            )
        model_dir = Path(mlflow.artifacts.download_artifacts(info.model_uri, dst_path=str(root / "plain")))
        pyfunc_dir = Path(
            mlflow.artifacts.download_artifacts(pyfunc_info.model_uri, dst_path=str(root / "pyfunc"))
        )
        sentinel_dir = Path(
            mlflow.artifacts.download_artifacts(sentinel.model_uri, dst_path=str(root / "sentinel"))
        )
        sample = frame.head(16)
        expected = mlflow.pyfunc.load_model(str(model_dir)).predict(sample)
        expected_values = [float(v) for v in np.asarray(expected).reshape(len(sample), -1)[:, 0]]
    finally:
        mlflow.set_tracking_uri(previous)
    return ModelStore(
        tracking_uri=tracking_uri,
        model_dir=model_dir,
        registry_uri=f"models:/mlp/{info.registered_model_version}",
        sentinel_dir=sentinel_dir,
        pyfunc_dir=pyfunc_dir,
        rows=sample.to_numpy().astype(float).tolist(),
        expected=expected_values,
    )


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


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator:
    """Factory: start a server with the given env; every server started is stopped at teardown."""
    servers: list[ServerProcess] = []

    def start(env: dict[str, str], args: tuple[str, ...] = ("serve",), ready: bool = True) -> ServerProcess:
        env = dict(env)
        port_var = next(
            (v for v in ("SERVING_PORT", "SAGEMAKER_BIND_TO_PORT", "AIP_HTTP_PORT") if v in env), None
        )
        if port_var is None:
            port_var = "SERVING_PORT"
            env[port_var] = str(free_port())
        server = ServerProcess(env, int(env[port_var]), tmp_path / f"server-{len(servers)}.log", args)
        servers.append(server)
        if ready:
            server.wait_until("/ready")
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def local_server(
    model_store: ModelStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """One shared server for the read-only tests (bad input, concurrency), with a small body limit."""
    port = free_port()
    server = ServerProcess(
        {
            "SERVING_PORT": str(port),
            "SERVING_MODEL_URI": str(model_store.model_dir),
            "SERVING_MAX_REQUEST_BYTES": "65536",
            "SERVING_MAX_BATCH_SIZE": "64",
        },
        port,
        tmp_path_factory.mktemp("local-server") / "server.log",
    )
    try:
        server.wait_until("/ready")
        yield server
    finally:
        server.stop()


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
