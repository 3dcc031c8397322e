"""Throughput and latency: mlgen's serving image vs ``mlflow models serve``, same model, same load.

Logs the convention model (a small PyTorch MLP, 8 float columns in, one float out) to a throw-away
MLflow store, serves the same model directory with both servers on loopback (same worker count), and
drives each with the same closed-loop load generator (keep-alive HTTP/1.1 over raw asyncio streams, so
the client is not the bottleneck) at each concurrency level, alternating servers round by round.

    python benchmarks/serve_throughput.py --duration 5 --rounds 3 --concurrency 1,8,64

Prints a Markdown table (paste into docs/serving-image.md) and, with ``--json``, writes the raw numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVING_DIR = REPO_ROOT / "training_images" / "serving"
COLUMNS = [f"x{i}" for i in range(8)]


@dataclass
class LevelResult:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_model(root: Path) -> Path:
    """A real ``mlflow.pytorch.log_model`` to a local store, downloaded to a plain model directory."""
    import mlflow
    import numpy as np
    import pandas as pd
    import torch
    from mlflow.models import infer_signature

    mlflow.set_tracking_uri(f"sqlite:///{root / 'mlflow.db'}")
    experiment = mlflow.create_experiment("bench", artifact_location=(root / "artifacts").as_uri())
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(8, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 1),
    )
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(64, 8)).astype(np.float32), columns=COLUMNS)
    with torch.no_grad():
        target = net(torch.from_numpy(frame.to_numpy().copy()))[:, 0].numpy()
    with mlflow.start_run(experiment_id=experiment):
        info = mlflow.pytorch.log_model(
            net,
            name="model",
            signature=infer_signature(frame, target),
            input_example=frame.head(2),
            serialization_format="pickle",
            pip_requirements=["torch==2.13.0"],
        )
    return Path(mlflow.artifacts.download_artifacts(info.model_uri, dst_path=str(root / "model")))


def request_bodies(count: int = 64) -> list[bytes]:
    import numpy as np

    rows = np.random.default_rng(1).normal(size=(count, 8)).round(6).tolist()
    return [json.dumps({"dataframe_split": {"columns": COLUMNS, "data": [row]}}).encode() for row in rows]


def http_request(port: int, path: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("server closed the connection")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        elif name.strip().lower() == "transfer-encoding":
            raise ValueError("chunked responses are not expected from either server")
    return status, await reader.readexactly(length)


async def _client(
    port: int, requests: list[bytes], offset: int, start_at: float, stop_at: float, out: LevelResult
):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                break
            writer.write(requests[i % len(requests)])
            i += 1
            try:
                status, _ = await _read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                out.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            done = time.perf_counter()
            if now >= start_at:  # requests started during warm-up are not counted
                if status == 200:
                    out.requests += 1
                    out.latencies_ms.append((done - now) * 1000)
                else:
                    out.errors += 1
    finally:
        writer.close()


async def drive(port: int, path: str, bodies: list[bytes], concurrency: int, warmup: float, duration: float):
    requests = [http_request(port, path, body) for body in bodies]
    result = LevelResult()
    start_at = time.perf_counter() + warmup
    stop_at = start_at + duration
    await asyncio.gather(*(_client(port, requests, i, start_at, stop_at, result) for i in range(concurrency)))
    result.seconds = duration
    return result


def wait_ready(port: int, path: str, process: subprocess.Popen, timeout: float = 180) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"server on port {port} not ready after {timeout}s")


def start_servers(model_dir: Path, workers: int, logs: Path) -> dict[str, tuple[subprocess.Popen, int, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SERVING_", "MLFLOW_"))}
    # `mlflow models serve` execs `uvicorn` by name: the interpreter's bin directory must be on PATH.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    ours_port, mlflow_port = free_port(), free_port()
    ours = subprocess.Popen(
        [sys.executable, "-m", "model_server", "serve"],
        cwd=SERVING_DIR,
        env={
            **env,
            "PYTHONPATH": str(SERVING_DIR),
            "SERVING_MODEL_URI": str(model_dir),
            "SERVING_HOST": "127.0.0.1",
            "SERVING_PORT": str(ours_port),
            "SERVING_WORKERS": str(workers),
        },
        stdout=open(logs / "ours.log", "wb"),  # noqa: SIM115 - lives as long as the process
        stderr=subprocess.STDOUT,
    )
    reference = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "models", "serve", "-m", str(model_dir), "--env-manager", "local",
         "-h", "127.0.0.1", "-p", str(mlflow_port), "-w", str(workers)],
        env=env,
        stdout=open(logs / "mlflow.log", "wb"),  # noqa: SIM115 - lives as long as the process
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    servers = {"mlgen": (ours, ours_port, "/predict"), "mlflow": (reference, mlflow_port, "/invocations")}
    try:
        wait_ready(ours_port, "/ready", ours)
        wait_ready(mlflow_port, "/ping", reference)
    except Exception:
        stop_servers(servers)
        raise
    return servers


def stop_servers(servers: dict[str, tuple[subprocess.Popen, int, str]]) -> None:
    for process, _, _ in servers.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, _, _ in servers.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def same_predictions(
    servers: dict[str, tuple[subprocess.Popen, int, str]], body: bytes
) -> tuple[float, float]:
    """Both servers must compute the same thing, or the comparison means nothing."""
    import urllib.request

    values = []
    for _, port, path in servers.values():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            prediction = json.loads(response.read())["predictions"][0]
        values.append(float(next(iter(prediction.values())) if isinstance(prediction, dict) else prediction))
    return values[0], values[1]


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def markdown(results: dict[int, dict[str, LevelResult]], meta: dict[str, str]) -> str:
    lines = [
        (
            f"Measured {meta['date']} on {meta['cpu']}, {meta['cpus']} CPUs ({meta['note']}); "
            f"{meta['workers']} worker(s) per server, one row per request, {meta['duration']} s per level "
            f"after {meta['warmup']} s warm-up, median of {meta['rounds']} alternating rounds; "
            f"load average before/after: {meta['load_before']} / {meta['load_after']}."
        ),
        "",
        (
            "| concurrency | mlgen req/s | mlflow req/s | throughput ratio | mlgen p50 ms | mlflow p50 ms "
            "| mlgen p99 ms | mlflow p99 ms | p99 ratio (mlgen/mlflow) | errors (mlgen/mlflow) |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level, pair in sorted(results.items()):
        ours, ref = pair["mlgen"], pair["mlflow"]
        lines.append(
            f"| {level} | {ours.rps:,.0f} | {ref.rps:,.0f} | **{ours.rps / ref.rps:.2f}×** "
            f"| {ours.percentile(50):.2f} | {ref.percentile(50):.2f} "
            f"| {ours.percentile(99):.2f} | {ref.percentile(99):.2f} "
            f"| {ours.percentile(99) / ref.percentile(99):.2f} | {ours.errors}/{ref.errors} |"
        )
    return "\n".join(lines)


def _median_result(runs: list[LevelResult]) -> LevelResult:
    """The round with the median throughput (its latencies stay consistent with its throughput)."""
    ordered = sorted(runs, key=lambda r: r.rps)
    return ordered[len(ordered) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", default="1,8,64", help="comma-separated client counts")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per level and round")
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="unmeasured seconds before each measurement"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median is reported")
    parser.add_argument("--workers", type=int, default=1, help="worker processes, the same for both servers")
    parser.add_argument("--note", default="machine shared with other work", help="context for the table")
    parser.add_argument("--json", type=Path, help="also write raw numbers here")
    args = parser.parse_args()
    if args.duration * args.rounds * 6 > 1800:
        parser.error("refusing to run for more than 30 minutes; lower --duration or --rounds")
    levels = [int(x) for x in args.concurrency.split(",")]
    load_before = f"{os.getloadavg()[0]:.2f}"
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        root = Path(tmp)
        model_dir = make_model(root)
        servers = start_servers(model_dir, args.workers, root)
        try:
            bodies = request_bodies()
            ours_value, ref_value = same_predictions(servers, bodies[0])
            if abs(ours_value - ref_value) > 1e-4 * max(1.0, abs(ref_value)):
                raise SystemExit(f"servers disagree: mlgen {ours_value} vs mlflow {ref_value}")
            runs: dict[int, dict[str, list[LevelResult]]] = {lv: {"mlgen": [], "mlflow": []} for lv in levels}
            for round_index in range(args.rounds):
                for level in levels:
                    # Alternate which server goes first so slow drifts in machine load hit both alike.
                    order = ["mlgen", "mlflow"] if round_index % 2 == 0 else ["mlflow", "mlgen"]
                    for name in order:
                        _, port, path = servers[name]
                        result = asyncio.run(drive(port, path, bodies, level, args.warmup, args.duration))
                        runs[level][name].append(result)
                        print(
                            f"round {round_index + 1} c={level:<3} {name:<6} {result.rps:8.0f} req/s "
                            f"p50 {result.percentile(50):6.2f} ms p99 {result.percentile(99):7.2f} ms "
                            f"errors {result.errors}",
                            file=sys.stderr,
                        )
        finally:
            stop_servers(servers)
    results = {lv: {name: _median_result(r) for name, r in pair.items()} for lv, pair in runs.items()}
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": _cpu_model(),
        "cpus": str(len(os.sched_getaffinity(0))),
        "note": args.note,
        "workers": str(args.workers),
        "duration": f"{args.duration:g}",
        "warmup": f"{args.warmup:g}",
        "rounds": str(args.rounds),
        "load_before": load_before,
        "load_after": f"{os.getloadavg()[0]:.2f}",
    }
    print(markdown(results, meta))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "meta": meta,
                    "results": {
                        str(lv): {
                            name: {
                                "rps": [round(r.rps, 1) for r in rs],
                                "p50_ms": [round(r.percentile(50), 3) for r in rs],
                                "p99_ms": [round(r.percentile(99), 3) for r in rs],
                                "errors": [r.errors for r in rs],
                            }
                            for name, rs in pair.items()
                        }
                        for lv, pair in runs.items()
                    },
                },
                indent=2,
                sort_keys=True,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
