"""Readiness is the server's answer: 200 only when every worker has loaded, 503 again while one restarts.

Real servers with two uvicorn workers whose model loads take different times (the sentinel model's
per-load delays), probed from outside over fresh HTTP connections so the kernel spreads them over the
workers, as a platform's probes and traffic are. About 85 s on 2 busy, shared CPU cores.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
from serving_helpers import ModelStore, ServerProcess

ROW = [0.5] * 8
IDENTITY = {"SERVING_MODEL_NAME": "sentinel", "SERVING_MODEL_VERSION": "7"}


def _env(model_store: ModelStore, tmp_path: Path, delays: str) -> dict[str, str]:
    return {
        "SERVING_MODEL_URI": str(model_store.sentinel_dir),
        "SERVING_WORKERS": "2",
        "SENTINEL_LOAD_DELAYS": delays,
        "SENTINEL_LOAD_COUNTER": str(tmp_path / "loads"),
        **IDENTITY,
    }


def _ready_lines(server: ServerProcess) -> int:
    return server.log_text().count('"message":"ready"')


def _wait_for_ready_status(server: ServerProcess, status: int, timeout: float) -> list[httpx.Response]:
    """Probe /ready (a new connection each time) until it answers ``status``; every answer seen."""
    seen: list[httpx.Response] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log_text()[-3000:]
        try:
            seen.append(httpx.get(server.url + "/ready", timeout=2))
        except httpx.TransportError:
            time.sleep(0.05)
            continue
        if seen[-1].status_code == status:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"/ready never answered {status}; last: {seen[-1:]}\n{server.log_text()[-3000:]}")


def _traffic_all_answered(server: ServerProcess, seconds: float) -> tuple[int, set[str]]:
    """Predictions and /metadata on fresh connections; each must be 200 with the model's identity."""
    served, workers = 0, set()
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        predict = httpx.post(server.url + "/predict", json={"instances": [ROW]}, timeout=10)
        assert predict.status_code == 200, predict.text
        metadata = httpx.get(server.url + "/metadata", timeout=10)
        assert metadata.status_code == 200, metadata.text
        assert (metadata.json()["name"], metadata.json()["version"]) == ("sentinel", "7")
        metrics = httpx.get(server.url + "/metrics", timeout=10).text
        workers.add(metrics.split('worker="', 1)[1].split('"', 1)[0])
        served += 1
    return served, workers


def _worker_pids(server: ServerProcess) -> list[int]:
    """uvicorn's worker processes: the server's children spawned by multiprocessing (not its resource tracker)."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_ready_waits_for_the_slowest_worker_and_then_every_worker_answers(
    start_server, model_store: ModelStore, tmp_path: Path
) -> None:
    server = start_server(_env(model_store, tmp_path, "0,6"), ready=False)
    seen = _wait_for_ready_status(server, 200, timeout=120)
    assert _ready_lines(server) == 2, "ready was answered before both workers had loaded"
    # The window the defect lived in really happened: one worker loaded, the server still said 503.
    partial = [r for r in seen if r.status_code == 503 and r.json().get("workers_ready") == 1]
    assert partial, [r.json() for r in seen]
    assert partial[-1].json()["message"] == "1 of 2 workers have loaded the model"
    assert seen[-1].json() == {"status": "ready", "workers_ready": 2}
    served, workers = _traffic_all_answered(server, seconds=3)
    assert served > 5
    assert len(workers) == 2, f"the traffic reached only worker(s) {workers}"


def test_ready_is_503_while_a_killed_worker_restarts_and_200_once_it_has_loaded(
    start_server, model_store: ModelStore, tmp_path: Path
) -> None:
    server = start_server(_env(model_store, tmp_path, "0,0,5"), ready=False)
    _wait_for_ready_status(server, 200, timeout=120)
    before = _worker_pids(server)
    assert len(before) == 2, before
    os.kill(before[0], signal.SIGKILL)
    killed_at = time.monotonic()
    seen = _wait_for_ready_status(server, 503, timeout=5)
    assert time.monotonic() - killed_at < 3, "the dead worker was still counted as ready"
    assert seen[-1].json()["status"] == "loading"
    # The survivor keeps answering while its replacement loads (the restart's load takes 5 s).
    assert httpx.post(server.url + "/predict", json={"instances": [ROW]}, timeout=10).status_code == 200
    _wait_for_ready_status(server, 200, timeout=120)
    assert _ready_lines(server) == 3, "ready again before the replacement worker had loaded"
    after = _worker_pids(server)
    assert len(after) == 2 and before[0] not in after and before[1] in after, (before, after)
    served, workers = _traffic_all_answered(server, seconds=3)
    assert served > 5 and len(workers) == 2, workers
