"""Fixtures for the serving image: real MLflow models in a real store, and the server as a real process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving_helpers import COLUMNS, HERE, ModelStore, ServerProcess, free_port


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
            # MLflow 3's default format (pt2, torch.export) needs a tensor signature.
            tensor_info = mlflow.pytorch.log_model(
                net,
                name="tensor",
                signature=infer_signature(frame.to_numpy(), target),
                input_example=frame.to_numpy()[:4],
                serialization_format="pt2",
                pip_requirements=["torch==2.13.0"],
            )
        model_dir = Path(mlflow.artifacts.download_artifacts(info.model_uri, dst_path=str(root / "plain")))
        tensor_dir = Path(
            mlflow.artifacts.download_artifacts(tensor_info.model_uri, dst_path=str(root / "tensor"))
        )
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
        tensor_dir=tensor_dir,
        rows=sample.to_numpy().astype(float).tolist(),
        expected=expected_values,
    )


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
