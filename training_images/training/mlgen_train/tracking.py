"""MLflow tracking for rank 0; every other rank gets :class:`NullTracker`.

The tracking URI comes from ``MLFLOW_TRACKING_URI`` (SageMaker managed MLflow ARN, an Azure ML
workspace, a self-hosted server; mlgen's Cloud Run server on Google Cloud gets ID tokens from
:mod:`mlgen_train.id_token`). Without it, runs go to a local SQLite store under the run's output
directory, which SageMaker uploads with the job's output. The run id is stored in every checkpoint so a
resumed spot job keeps logging into the same run.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from mlgen_train import id_token

log = logging.getLogger(__name__)

# MLflow 3.17's default for PyTorch is "pt2" (torch.export), which demands a TensorSpec signature. The
# serving contract is a column-based signature (x0..x7), so the model is pickled (cloudpickle). Loading
# needs MLFLOW_ALLOW_PICKLE_DESERIALIZATION left at its default (true): serve only your own models.
SERIALIZATION_FORMAT = "pickle"


def default_tracking_uri(output_dir: Path) -> tuple[str, str]:
    store = (output_dir / "mlflow").resolve()
    store.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{store / 'mlflow.db'}", (store / "artifacts").as_uri()


def model_pip_requirements() -> list[str]:
    """Pins for the logged model, given explicitly so MLflow does not load the model to infer them."""
    from importlib import metadata

    import torch

    pins = [f"torch=={torch.__version__.split('+')[0]}"]
    for name in ("mlflow", "cloudpickle", "numpy", "pandas"):
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pins.append(name)
    return pins


class NullTracker:
    run_id: str | None = None

    def start(self, run_id: str | None) -> str | None:
        return None

    def log_params(self, params: dict[str, Any]) -> None: ...

    def set_tags(self, tags: dict[str, str]) -> None: ...

    def log_dict(self, payload: dict[str, Any], name: str) -> None: ...

    def log_step(self, step: int, metrics: dict[str, float]) -> None: ...

    def log_metrics(self, step: int, metrics: dict[str, float]) -> None: ...

    def flush(self) -> None: ...

    def log_model(self, model: Any, plugin: Any, registered_model_name: str) -> None: ...

    def end(self, status: str) -> None: ...


class MlflowTracker(NullTracker):
    def __init__(self, experiment_name: str, run_name: str, output_dir: Path, flush_every: int) -> None:
        import mlflow

        self._mlflow = mlflow
        self.flush_every = max(flush_every, 1)
        self._pending: list[Any] = []
        self._writes: list[Any] = []  # asynchronous log_batch operations not yet waited for
        uri = os.environ.get("MLFLOW_TRACKING_URI")
        artifact_location = None
        if not uri:
            uri, artifact_location = default_tracking_uri(output_dir)
        mlflow.set_tracking_uri(uri)
        self.tracking_uri = uri
        # mlgen's MLflow on Google Cloud sits behind Cloud Run IAM: keep an ID token in MLFLOW_TRACKING_TOKEN.
        self._id_token = id_token.start_if_wanted(uri)
        client = mlflow.MlflowClient()
        experiment = client.get_experiment_by_name(experiment_name)
        if experiment is None:
            experiment_id = client.create_experiment(experiment_name, artifact_location=artifact_location)
        else:
            experiment_id = experiment.experiment_id
        self.experiment_id = experiment_id
        self.run_name = run_name
        self.client = client

    def start(self, run_id: str | None) -> str:
        run = None
        if run_id:
            try:
                run = self._mlflow.start_run(run_id=run_id)
            except Exception as exc:  # noqa: BLE001 - e.g. the job now points at another tracking server
                log.warning("cannot continue MLflow run %s (%s); starting a new run", run_id, exc)
        if run is None:
            run = self._mlflow.start_run(experiment_id=self.experiment_id, run_name=self.run_name or None)
        self.run_id = run.info.run_id
        log.info("MLflow run %s at %s", self.run_id, self.tracking_uri)
        return self.run_id

    def log_params(self, params: dict[str, Any]) -> None:
        from mlflow.entities import Param

        entries = [Param(key, str(value)[:6000]) for key, value in sorted(params.items())]
        existing = self.client.get_run(self.run_id).data.params
        # A resumed run already holds these params; MLflow refuses to log a key twice.
        fresh = [entry for entry in entries if entry.key not in existing]
        for start in range(0, len(fresh), 100):
            self.client.log_batch(self.run_id, params=fresh[start : start + 100], synchronous=True)

    def set_tags(self, tags: dict[str, str]) -> None:
        self._mlflow.set_tags(tags)

    def log_dict(self, payload: dict[str, Any], name: str) -> None:
        self._mlflow.log_dict(payload, name)

    def log_step(self, step: int, metrics: dict[str, float]) -> None:
        from mlflow.entities import Metric

        timestamp = int(time.time() * 1000)
        self._pending.extend(Metric(key, float(value), timestamp, step) for key, value in metrics.items())
        if len(self._pending) >= self.flush_every * max(len(metrics), 1):
            self.flush()

    def log_metrics(self, step: int, metrics: dict[str, float]) -> None:
        self.log_step(step, metrics)
        self.flush()

    def flush(self) -> None:
        # Asynchronous: MLflow's logging thread writes the batch while training goes on. A synchronous
        # write to the tracking store at every flush and evaluation cost the example model's loop about a
        # quarter of its time (benchmarks/train_throughput.py --compare-bare); end() waits for them all.
        while self._pending:
            batch, self._pending = self._pending[:1000], self._pending[1000:]
            self._writes.append(self.client.log_batch(self.run_id, metrics=batch, synchronous=False))

    def wait(self) -> None:
        """Block until every metric logged so far is in the tracking store (raises the first write error)."""
        self.flush()
        writes, self._writes = self._writes, []
        for write in writes:
            if write is not None:
                write.wait()

    def log_model(self, model: Any, plugin: Any, registered_model_name: str) -> None:
        import mlflow.pytorch

        mlflow.pytorch.log_model(
            model,
            name="model",
            signature=plugin.model_signature(),
            input_example=plugin.input_example(),
            code_paths=plugin.code_paths() or None,
            pip_requirements=model_pip_requirements(),
            serialization_format=SERIALIZATION_FORMAT,
            registered_model_name=registered_model_name or None,
        )

    def end(self, status: str) -> None:
        self.wait()
        self._mlflow.end_run(status=status)
        if self._id_token is not None:
            self._id_token.stop()


def save_model_dir(model: Any, plugin: Any, model_dir: Path) -> None:
    """Write the final model as an MLflow model at the root of the platform's model directory.

    SageMaker tars ``/opt/ml/model`` into model.tar.gz and the serving image loads the extracted
    directory as an MLflow model, so MLmodel must sit at the root.
    """
    import shutil

    import mlflow.pytorch

    model_dir.mkdir(parents=True, exist_ok=True)
    for entry in model_dir.iterdir():  # a retried job may have written here before
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    mlflow.pytorch.save_model(
        model,
        path=str(model_dir),
        signature=plugin.model_signature(),
        input_example=plugin.input_example(),
        code_paths=plugin.code_paths() or None,
        pip_requirements=model_pip_requirements(),
        serialization_format=SERIALIZATION_FORMAT,
    )
