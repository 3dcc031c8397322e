"""Start-up, readiness, configuration errors and graceful shutdown of the server process."""

from __future__ import annotations

import shutil
import signal
import threading
import time
from pathlib import Path

import httpx
from serving_helpers import ModelStore, metric_value

SLOW_ROW = [0.0] * 7 + [777.0]  # the sentinel model sleeps on x7 == 777


def test_ready_is_503_until_the_model_is_loaded_while_health_answers(
    start_server, model_store: ModelStore
) -> None:
    server = start_server(
        {"SERVING_MODEL_URI": str(model_store.sentinel_dir), "SENTINEL_LOAD_DELAY_S": "4"}, ready=False
    )
    server.wait_until("/health", 200, timeout=60)
    ready = httpx.get(server.url + "/ready")
    assert ready.status_code == 503
    assert ready.json()["status"] == "loading"
    assert httpx.get(server.url + "/ping").status_code == 503
    predict = httpx.post(server.url + "/predict", json={"instances": [[0.0] * 8]})
    assert predict.status_code == 503
    assert "retry when /ready answers 200" in predict.json()["message"]
    server.wait_until("/ready", 200, timeout=60)
    assert httpx.post(server.url + "/predict", json={"instances": [[0.0] * 8]}).status_code == 200


def test_sigterm_lets_in_flight_requests_finish_then_exits(start_server, model_store: ModelStore) -> None:
    server = start_server({"SERVING_MODEL_URI": str(model_store.sentinel_dir), "SENTINEL_SLEEP_S": "2"})
    results: list[httpx.Response] = []
    client = threading.Thread(
        target=lambda: results.append(
            httpx.post(server.url + "/predict", json={"instances": [SLOW_ROW]}, timeout=30)
        )
    )
    client.start()
    deadline = time.monotonic() + 10
    while metric_value(httpx.get(server.url + "/metrics").text, "serving_in_flight_requests") < 1:
        assert time.monotonic() < deadline, "the slow request never started"
        time.sleep(0.05)
    server.process.send_signal(signal.SIGTERM)
    client.join(timeout=30)
    assert results and results[0].status_code == 200, results
    assert isinstance(results[0].json()["predictions"][0], float)
    assert server.process.wait(timeout=30) == 0
    log = server.log_text()
    assert "Shutting down" in log and '"message":"stopped"' in log


def test_a_missing_model_directory_stops_start_up_with_a_clear_message(start_server, tmp_path) -> None:
    server = start_server({"SERVING_MODEL_URI": str(tmp_path / "nowhere")}, ready=False)
    assert server.process.wait(timeout=60) == 2
    log = server.log_text()
    assert f"model directory {tmp_path / 'nowhere'} does not exist" in log
    assert "Traceback" not in log


def test_sagemaker_without_a_model_says_where_it_looked(start_server, tmp_path) -> None:
    (tmp_path / "opt_ml" / "model").mkdir(parents=True)
    server = start_server({"SERVING_SAGEMAKER_ROOT": str(tmp_path / "opt_ml")}, ready=False)
    assert server.process.wait(timeout=60) == 2
    assert "no MLflow model (an MLmodel file) found in" in server.log_text()


def test_a_model_that_cannot_load_makes_the_server_exit_non_zero(
    start_server, model_store: ModelStore, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(model_store.model_dir, broken)
    weights = broken / "data" / "model.pth"
    assert weights.is_file()
    weights.write_bytes(b"not a pickle")
    server = start_server({"SERVING_MODEL_URI": str(broken)}, ready=False)
    assert server.process.wait(timeout=60) == 3
    log = server.log_text()
    assert "model failed to load" in log
    assert "exiting: the model could not be loaded" in log


def test_invalid_setting_is_reported_by_name(start_server, model_store: ModelStore) -> None:
    server = start_server(
        {"SERVING_MODEL_URI": str(model_store.model_dir), "SERVING_MAX_BATCH_SIZE": "lots"}, ready=False
    )
    assert server.process.wait(timeout=60) == 2
    assert "SERVING_MAX_BATCH_SIZE must be an integer, got 'lots'" in server.log_text()
