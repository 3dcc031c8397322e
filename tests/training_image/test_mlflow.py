"""MLflow against a real SQLite tracking store, through a run simulated as a SageMaker training job."""

from __future__ import annotations

import csv
import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from training_image.helpers import clean_env, events, run_entrypoint
from training_image.test_platform import make_sagemaker

FEATURES = [f"x{i}" for i in range(8)]


def _write_csv(path, rows: int, seed: int) -> None:
    from mlgen_train.example import synthetic_regression

    features, target = synthetic_regression(rows, seed, 0.05)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*FEATURES, "y"])
        for x, y in zip(features.tolist(), target.tolist(), strict=True):
            writer.writerow([f"{v:.6f}" for v in [*x, y]])


@pytest.mark.slow
def test_sagemaker_job_logs_params_metrics_tags_and_a_registered_pyfunc_model(tmp_path):
    import mlflow

    root = tmp_path / "root"
    make_sagemaker(root, epochs=4, global_batch_size=64, registered_model_name="demo-regressor", lr=0.003)
    train_dir = root / "opt/ml/input/data/train"
    _write_csv(train_dir / "part-0.csv", 1024, seed=11)
    tracking_uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = clean_env(
        MLGEN_FS_ROOT=str(root),
        TRAINING_JOB_NAME="demo-job-1",
        MLFLOW_TRACKING_URI=tracking_uri,
        MLGEN_CODE_VERSION="abc1234",
    )
    result = run_entrypoint(["train"], env, tmp_path, timeout=240)  # what `docker run <image> train` does
    assert result.returncode == 0, result.stderr[-4000:]
    run_id = events(result.stdout, "completed")[0]["mlflow_run_id"]

    client = mlflow.MlflowClient(tracking_uri)
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    params = run.data.params
    assert (params["epochs"], params["global_batch_size"], params["lr"]) == ("4", "64", "0.003")
    assert params["world_size"] == "1" and params["steps_per_epoch"] == "16"
    losses = client.get_metric_history(run_id, "train_loss")
    # One train_loss point every log_every_steps (10) and at the last step.
    assert sorted(m.step for m in losses) == [10, 20, 30, 40, 50, 60, 64]
    assert run.data.metrics["val_mse"] < 0.5

    tags = run.data.tags
    assert tags["mlgen.platform"] == "sagemaker"
    assert tags["mlgen.instance_type"] == "ml.g5.2xlarge"
    assert tags["mlgen.code_version"] == "abc1234"
    assert tags["mlgen.job_name"] == "demo-job-1"
    # Dataset version is a digest of the input-file manifest; check the manifest against the file itself.
    manifest = _load_manifest(client, run_id, tmp_path)
    assert manifest["version"] == tags["mlgen.dataset_version"]
    (entry,) = manifest["files"]
    assert entry["path"] == "part-0.csv"
    assert entry["sha256"] == hashlib.sha256((train_dir / "part-0.csv").read_bytes()).hexdigest()

    # The final model sits at the root of SageMaker's model dir (tarred to model.tar.gz) and in MLflow.
    assert (root / "opt/ml/model/MLmodel").is_file()
    assert list((root / "opt/ml/checkpoints").glob("ckpt-*.pt")), "checkpoints go to /opt/ml/checkpoints"
    from mlgen_train.example import synthetic_regression

    features, target = synthetic_regression(64, seed=99, noise=0.0)
    frame = pd.DataFrame(features.numpy(), columns=FEATURES)  # float32 columns x0..x7
    mlflow.set_tracking_uri(tracking_uri)
    version = client.get_registered_model("demo-regressor").latest_versions[0]
    for uri in (f"models:/demo-regressor/{version.version}", str(root / "opt/ml/model")):
        model = mlflow.pyfunc.load_model(uri)
        schema = model.metadata.get_input_schema()
        assert schema.input_names() == FEATURES
        assert {t.name for t in schema.input_types()} == {"float"}  # float32
        predictions = np.asarray(model.predict(frame)).reshape(-1)
        assert predictions.shape == (64,)
        assert float(np.mean((predictions - target.numpy()) ** 2)) < 0.5  # variance of y is ~3.5
    assert model.metadata.get_output_schema() is not None
    assert model.metadata.saved_input_example_info is not None


def _load_manifest(client, run_id: str, tmp_path) -> dict:
    local = client.download_artifacts(run_id, "dataset_manifest.json", str(tmp_path))
    with open(local) as handle:
        return json.load(handle)


def test_unusable_tracking_uri_is_a_setup_error_that_names_the_missing_plugin(tmp_path):
    arn = "arn:aws:sagemaker:eu-west-1:111111111111:mlflow-tracking-server/demo"
    env = clean_env(MLGEN_RUNS_DIR=str(tmp_path), MLFLOW_TRACKING_URI=arn)
    result = run_entrypoint(["train", "--max_steps", "1"], env, tmp_path)
    assert result.returncode == 2
    assert f"MLflow tracking at {arn} is not usable" in result.stderr
    assert "sagemaker-mlflow" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_resumed_job_keeps_logging_into_the_same_mlflow_run(tmp_path):
    import mlflow

    tracking_uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = clean_env(MLGEN_RUNS_DIR=str(tmp_path / "runs"), MLFLOW_TRACKING_URI=tracking_uri)
    common = ["train", "--save_model", "false", "--global_batch_size", "256", "--checkpoint_every_steps", "2"]
    common += ["--log_every_steps", "1"]  # a point per step: the resumed run must continue, not repeat
    first = run_entrypoint([*common, "--max_steps", "4"], env, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    second = run_entrypoint([*common, "--max_steps", "8"], env, tmp_path)  # e.g. a restarted spot job
    assert second.returncode == 0, second.stderr[-3000:]
    run_ids = {events(out.stdout, "completed")[0]["mlflow_run_id"] for out in (first, second)}
    assert len(run_ids) == 1
    history = mlflow.MlflowClient(tracking_uri).get_metric_history(run_ids.pop(), "train_loss")
    assert sorted(m.step for m in history) == list(range(1, 9))
