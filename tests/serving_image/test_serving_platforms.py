"""Each platform's contract: how the server is started, where the model is, which port and routes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving_helpers import COLUMNS, ModelStore, free_port


def _assert_matches_mlflow(predictions: list[float], model_store: ModelStore, count: int) -> None:
    assert len(predictions) == count
    for got, want in zip(predictions, model_store.expected[:count], strict=True):
        assert got == pytest.approx(want, rel=1e-5, abs=1e-6)


def test_local_path_serves_mlflow_formats_with_mlflow_s_predictions(
    start_server, model_store: ModelStore
) -> None:
    server = start_server({"SERVING_MODEL_URI": str(model_store.model_dir)})
    rows = model_store.rows[:3]
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    bodies = [
        {"instances": rows},
        {"instances": records},
        {"inputs": rows},
        {"inputs": {c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)}},
        {"dataframe_split": {"columns": COLUMNS, "data": rows}},
        {"dataframe_split": {"columns": COLUMNS[::-1], "data": [r[::-1] for r in rows]}},
        {"dataframe_records": records},
    ]
    for body in bodies:
        response = httpx.post(server.url + "/predict", json=body, timeout=10)
        assert response.status_code == 200, (body, response.text)
        _assert_matches_mlflow(response.json()["predictions"], model_store, 3)
    csv_body = "\n".join(",".join(repr(v) for v in row) for row in rows)
    for text in (csv_body, ",".join(COLUMNS) + "\n" + csv_body):
        response = httpx.post(
            server.url + "/predict", content=text, headers={"content-type": "text/csv"}, timeout=10
        )
        assert response.status_code == 200, response.text
        _assert_matches_mlflow(response.json()["predictions"], model_store, 3)
    assert httpx.get(server.url + "/health").json() == {"status": "ok"}
    assert httpx.get(server.url + "/metadata").json()["backend"] == "torch"


def test_pt2_model_with_a_tensor_signature(start_server, model_store: ModelStore) -> None:
    server = start_server({"SERVING_MODEL_URI": str(model_store.tensor_dir)})
    assert httpx.get(server.url + "/metadata").json()["backend"] == "torch"
    response = httpx.post(server.url + "/predict", json={"inputs": model_store.rows[:3]})
    assert response.status_code == 200, response.text
    _assert_matches_mlflow(response.json()["predictions"], model_store, 3)
    bad = httpx.post(server.url + "/predict", json={"inputs": [row[:5] for row in model_store.rows[:2]]})
    assert bad.status_code == 400
    assert "input shape [2, 5] does not match tensor float32 of shape [-1, 8]" in bad.json()["message"]


@pytest.fixture
def tracking_server(model_store: ModelStore, tmp_path: Path) -> Iterator[str]:
    """A real ``mlflow server`` over the test store: the image reaches a registry over HTTP, not SQL."""
    port = free_port()
    log = open(tmp_path / "mlflow-server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--backend-store-uri", model_store.tracking_uri,
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "mlflow-server.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "mlflow server did not start"
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_registry_uri_reports_name_version_signature_and_version_tags(
    start_server, model_store: ModelStore, tracking_server: str
) -> None:
    server = start_server(
        {"SERVING_MODEL_URI": model_store.registry_uri, "MLFLOW_TRACKING_URI": tracking_server}
    )
    metadata = httpx.get(server.url + "/metadata").json()
    assert metadata["name"] == "mlp"
    assert metadata["version"] == "1"
    assert metadata["source"] == "models:/mlp/1"
    assert [c["name"] for c in metadata["signature"]["inputs"]] == COLUMNS
    assert {c["type"] for c in metadata["signature"]["inputs"]} == {"float"}
    assert metadata["code_version"] == "abc1234"
    assert metadata["dataset_version"] == "ds-2026-11-01"
    assert metadata["run_tags"]["dataset_version"] == "ds-2026-11-01"
    response = httpx.post(server.url + "/predict", json={"instances": model_store.rows[:2]})
    _assert_matches_mlflow(response.json()["predictions"], model_store, 2)


def test_sagemaker_serve_argument_port_variable_and_opt_ml_model(
    start_server, model_store: ModelStore, tmp_path: Path
) -> None:
    opt_ml = tmp_path / "opt_ml"
    # model.tar.gz unpacks with a top-level folder: the server finds MLmodel one level down.
    shutil.copytree(model_store.model_dir, opt_ml / "model" / "mlp")
    port = free_port()
    server = start_server(
        {"SAGEMAKER_BIND_TO_PORT": str(port), "SERVING_SAGEMAKER_ROOT": str(opt_ml)}, args=("serve",)
    )
    assert server.port == port
    assert httpx.get(server.url + "/ping", timeout=2).status_code == 200
    rows = model_store.rows[:2]
    csv_body = "\n".join(",".join(repr(v) for v in row) for row in rows) + "\n"
    response = httpx.post(server.url + "/invocations", content=csv_body, headers={"content-type": "text/csv"})
    assert response.status_code == 200, response.text
    _assert_matches_mlflow(response.json()["predictions"], model_store, 2)
    response = httpx.post(server.url + "/invocations", json={"instances": rows})
    _assert_matches_mlflow(response.json()["predictions"], model_store, 2)
    assert '"platform":"sagemaker"' in server.log_text()


def test_azure_model_dir_and_declared_routes(start_server, model_store: ModelStore, tmp_path: Path) -> None:
    mount = tmp_path / "var" / "azureml-app" / "azureml-models" / "fraud-mlp" / "3"
    shutil.copytree(model_store.model_dir, mount / "model")
    server = start_server({"AZUREML_MODEL_DIR": str(mount)})
    assert httpx.get(server.url + "/health").status_code == 200  # liveness_route
    assert httpx.get(server.url + "/ready").status_code == 200  # readiness_route
    response = httpx.post(
        server.url + "/predict", json={"dataframe_split": {"columns": COLUMNS, "data": model_store.rows[:2]}}
    )
    _assert_matches_mlflow(response.json()["predictions"], model_store, 2)
    metadata = httpx.get(server.url + "/metadata").json()
    assert (metadata["name"], metadata["version"]) == ("fraud-mlp", "3")


@pytest.fixture
def gcs_emulator() -> Iterator[str]:
    """gcp-storage-emulator on loopback: a real GCS JSON API the real google-cloud-storage client talks to."""
    pytest.importorskip("gcp_storage_emulator", reason="gcp-storage-emulator is in the test extra")
    pytest.importorskip("google.cloud.storage", reason="google-cloud-storage is in the test extra")
    from gcp_storage_emulator.server import create_server

    port = free_port()
    server = create_server("127.0.0.1", port, in_memory=True)
    server.start()
    host = f"http://127.0.0.1:{port}"
    previous = os.environ.get("STORAGE_EMULATOR_HOST")
    os.environ["STORAGE_EMULATOR_HOST"] = host
    try:
        yield host
    finally:
        server.stop()
        if previous is None:
            os.environ.pop("STORAGE_EMULATOR_HOST", None)
        else:
            os.environ["STORAGE_EMULATOR_HOST"] = previous


def test_vertex_downloads_aip_storage_uri_and_answers_aip_routes(
    start_server, model_store: ModelStore, gcs_emulator: str
) -> None:
    from google.cloud import storage

    client = storage.Client()
    bucket = client.create_bucket("vertex-models")
    for path in sorted(model_store.model_dir.rglob("*")):
        if path.is_file():
            relative = path.relative_to(model_store.model_dir).as_posix()
            bucket.blob(f"fraud/model/{relative}").upload_from_filename(str(path))
    port = free_port()
    health, predict = "/v1/endpoints/123/deployedModels/456", "/v1/endpoints/123/deployedModels/456:predict"
    server = start_server(
        {
            "AIP_HTTP_PORT": str(port),
            "AIP_HEALTH_ROUTE": health,
            "AIP_PREDICT_ROUTE": predict,
            "AIP_STORAGE_URI": "gs://vertex-models/fraud/model",
            "STORAGE_EMULATOR_HOST": gcs_emulator,
        }
    )
    assert httpx.get(server.url + health).status_code == 200
    rows = model_store.rows[:3]
    response = httpx.post(server.url + predict, json={"instances": rows, "parameters": {}})
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["predictions"]
    _assert_matches_mlflow(response.json()["predictions"], model_store, 3)
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    _assert_matches_mlflow(
        httpx.post(server.url + predict, json={"instances": records}).json()["predictions"], model_store, 3
    )
    assert '"platform":"vertex"' in server.log_text()


def test_vertex_with_an_empty_storage_prefix_exits_non_zero_with_a_clear_message(
    start_server, gcs_emulator: str
) -> None:
    from google.cloud import storage

    storage.Client().create_bucket("empty-bucket")
    server = start_server(
        {
            "AIP_HTTP_PORT": str(free_port()),
            "AIP_STORAGE_URI": "gs://empty-bucket/nothing",
            "STORAGE_EMULATOR_HOST": gcs_emulator,
        },
        ready=False,
    )
    assert server.process.wait(timeout=60) == 3
    log = server.log_text()
    assert "no objects found under gs://empty-bucket/nothing" in log
    # The port opened before the download (Vertex restarts containers whose port stays closed ~40 s).
    assert log.index("Uvicorn running on") < log.index("model failed to load")
    assert "Traceback" not in log
