"""Throughput and latency: mlgen's serving image vs MLServer and ``mlflow models serve``, same model, same load.

Logs a PyTorch MLP (8 float columns in, one float out) to a throw-away MLflow store and serves the same
model directory with:

- ``mlgen``: this image's server (``python -m model_server``), ``--workers`` uvicorn workers;
- ``mlserver``: MLServer with its MLflow runtime (``mlserver start``), called on the runtime's
  MLflow-compatible ``/invocations`` route with the same body as the others. Its V2 route
  (``/v2/models/model/infer``, the one that uses MLServer's ``parallel_workers`` inference pool)
  answers 500 for this model: mlflow.pytorch returns a DataFrame with an integer column name, which
  MLServer's pandas codec refuses. ``/invocations`` runs the model in MLServer's single HTTP process,
  so MLServer serves with one process whatever ``--workers`` says (its pool is still started with
  ``parallel_workers = --workers``). MLServer pins older fastapi/starlette/protobuf than this project,
  so it runs from **its own virtual environment** (built on first use under ``~/.cache/mlgen-bench``,
  or ``--mlserver-python``);
- ``mlflow``: ``mlflow models serve --env-manager local -w --workers``;
- ``null``: this image's server with a null model (``Linear(8, 1)``: 9 parameters, microseconds per
  call), i.e. the server's own HTTP + JSON + batching ceiling on this machine.

Every server gets the same torch threads per worker (CPUs ÷ workers). One closed-loop load generator
(keep-alive HTTP/1.1 over raw asyncio streams, so the client is not the bottleneck) drives each server
at each concurrency level, one row per request, rotating the server order round by round; the median
round is reported with the range of the per-round ratios. The servers are checked to predict the same
value first.

    python benchmarks/serve_throughput.py --model small --duration 3 --rounds 3
    python benchmarks/serve_throughput.py --model wide --servers mlgen,mlserver,mlflow

Prints Markdown tables (pasted into training_images/serving/README.md) and, with ``--json``, every round.
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
# label -> (hidden width, description)
MODEL_SHAPES = {
    "small": (64, "MLP 8→64→64→1 (4.8 k parameters)"),
    "wide": (2048, "MLP 8→2048→2048→1 (4.2 M parameters)"),
}
# uvloop 0.22+ dropped the implicit event loop MLServer 1.7.1 asks for at start-up.
MLSERVER_PINS = (
    "mlserver==1.7.1",
    "mlserver-mlflow==1.7.1",
    "mlflow==3.17.2",
    "torch==2.13.0",
    "uvloop==0.21.0",
)
SERVER_LABELS = {
    "mlgen": "mlgen",
    "mlserver": "MLServer",
    "mlflow": "mlflow serve",
    "null": "mlgen null model",
}


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


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    path: str
    ready_path: str
    requests: list[bytes] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_net(hidden: int):
    import torch

    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(8, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, 1),
    )


def log_model(root: Path, name: str, net) -> Path:
    """A real ``mlflow.pytorch.log_model`` to a local store, downloaded to a plain model directory."""
    import mlflow
    import numpy as np
    import pandas as pd
    import torch
    from mlflow.models import infer_signature

    mlflow.set_tracking_uri(f"sqlite:///{root / 'mlflow.db'}")
    experiment = mlflow.get_experiment_by_name("bench")
    experiment_id = (
        experiment.experiment_id
        if experiment
        else mlflow.create_experiment("bench", artifact_location=(root / "artifacts").as_uri())
    )
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(64, 8)).astype(np.float32), columns=COLUMNS)
    with torch.no_grad():
        target = net(torch.from_numpy(frame.to_numpy().copy()))[:, 0].numpy()
    with mlflow.start_run(experiment_id=experiment_id):
        info = mlflow.pytorch.log_model(
            net,
            name=name,
            signature=infer_signature(frame, target),
            input_example=frame.head(2),
            serialization_format="pickle",
            pip_requirements=["torch==2.13.0"],
        )
    return Path(mlflow.artifacts.download_artifacts(info.model_uri, dst_path=str(root / name)))


def request_rows(count: int = 64) -> list[list[float]]:
    import numpy as np

    return np.random.default_rng(1).normal(size=(count, 8)).round(6).tolist()


def mlflow_body(row: list[float]) -> bytes:
    return json.dumps({"dataframe_split": {"columns": COLUMNS, "data": [row]}}).encode()


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
            raise ValueError("chunked responses are not expected from these servers")
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


async def drive(server: Server, concurrency: int, warmup: float, duration: float) -> LevelResult:
    result = LevelResult()
    start_at = time.perf_counter() + warmup
    stop_at = start_at + duration
    await asyncio.gather(
        *(_client(server.port, server.requests, i, start_at, stop_at, result) for i in range(concurrency))
    )
    result.seconds = duration
    return result


def wait_ready(server: Server, timeout: float = 240) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        try:
            url = f"http://127.0.0.1:{server.port}{server.ready_path}"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{server.name} on port {server.port} not ready after {timeout}s")


def mlserver_python(explicit: str | None) -> Path:
    """MLServer's interpreter: ``--mlserver-python``, or a venv of its own built once under ~/.cache."""
    if explicit:
        return Path(explicit)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mlgen-bench"
    venv = cache / "mlserver-1.7.1-uvloop-0.21"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "mlserver").exists():
        print(f"building MLServer's own virtual environment in {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *MLSERVER_PINS], check=True)
    return python


def _peer_env(threads: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SERVING_", "MLFLOW_", "MLSERVER"))}
    # `mlflow models serve` execs `uvicorn` by name: the interpreter's bin directory must be on PATH.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # The same torch threads per worker for every server (mlgen sets its own from SERVING_TORCH_THREADS).
    env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
    return env


def _log(logs: Path, name: str):
    # The file lives as long as the server process that writes it.
    return open(logs / f"{name}.log", "wb")


def start_mlgen(name: str, model_dir: Path, workers: int, threads: int, logs: Path) -> Server:
    port = free_port()
    env = {
        **_peer_env(threads),
        "PYTHONPATH": str(SERVING_DIR),
        "SERVING_MODEL_URI": str(model_dir),
        "SERVING_HOST": "127.0.0.1",
        "SERVING_PORT": str(port),
        "SERVING_WORKERS": str(workers),
        "SERVING_TORCH_THREADS": str(threads),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "model_server", "serve"],
        cwd=SERVING_DIR, env=env, stdout=_log(logs, name), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Server(name, process, port, "/predict", "/ready")


def start_mlflow(model_dir: Path, workers: int, threads: int, logs: Path) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "models", "serve", "-m", str(model_dir), "--env-manager", "local",
         "-h", "127.0.0.1", "-p", str(port), "-w", str(workers)],
        env=_peer_env(threads), stdout=_log(logs, "mlflow"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Server("mlflow", process, port, "/invocations", "/ping")


def start_mlserver(python: Path, model_dir: Path, workers: int, threads: int, root: Path) -> Server:
    port = free_port()
    config = root / "mlserver"
    config.mkdir()
    settings = {
        "debug": False,
        "host": "127.0.0.1",
        "http_port": port,
        "grpc_port": free_port(),
        "metrics_port": free_port(),
        "parallel_workers": workers,
    }
    (config / "settings.json").write_text(json.dumps(settings))
    model_settings = {
        "name": "model",
        "implementation": "mlserver_mlflow.MLflowRuntime",
        "parameters": {"uri": str(model_dir)},
    }
    (config / "model-settings.json").write_text(json.dumps(model_settings))
    env = _peer_env(threads)
    env["PATH"] = f"{python.parent}{os.pathsep}{env['PATH']}"
    process = subprocess.Popen(
        [str(python.parent / "mlserver"), "start", str(config)],
        cwd=config, env=env, stdout=_log(root, "mlserver"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Server("mlserver", process, port, "/invocations", "/v2/models/model/ready")


def stop_servers(servers: dict[str, Server]) -> None:
    for server in servers.values():
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
    for server in servers.values():
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def prediction(server: Server, body: bytes) -> float:
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{server.path}",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    value = answer["predictions"][0]
    return float(next(iter(value.values())) if isinstance(value, dict) else value)


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ratio_range(rounds_a: list[LevelResult], rounds_b: list[LevelResult], metric) -> str:
    ratios = [metric(a) / metric(b) for a, b in zip(rounds_a, rounds_b) if metric(b)]
    return f"{min(ratios):.2f}–{max(ratios):.2f}" if ratios else "n/a"


def _median_result(runs: list[LevelResult]) -> LevelResult:
    """The round with the median throughput (its latencies stay consistent with its throughput)."""
    ordered = sorted(runs, key=lambda r: r.rps)
    return ordered[len(ordered) // 2]


def markdown(runs: dict[int, dict[str, list[LevelResult]]], names: list[str], meta: dict[str, str]) -> str:
    lines = [
        (
            f"Measured {meta['date']} on {meta['cpu']}, {meta['cpus']} CPUs ({meta['note']}); model "
            f"{meta['model']}; {meta['workers']} worker(s) per server, {meta['threads']} torch thread(s) "
            f"per worker; one row per request; {meta['duration']} s per level after {meta['warmup']} s "
            f"warm-up; median of {meta['rounds']} rotating rounds (ranges: lowest–highest per-round "
            f"ratio); load average (1 min) before/after: {meta['load_before']} / {meta['load_after']}. "
            f"Command: `{meta['command']}`."
        ),
        "",
    ]
    medians = {lv: {n: _median_result(r) for n, r in pair.items()} for lv, pair in runs.items()}
    peers = [n for n in names if n != "mlgen"]
    head = "| clients | " + " | ".join(f"{SERVER_LABELS[n]} req/s" for n in names)
    head += "".join(f" | mlgen ÷ {SERVER_LABELS[n]} (range)" for n in peers) + " |"
    lines += [head, "|---:" * (1 + len(names) + len(peers)) + "|"]
    for level in sorted(runs):
        cells = [f"{medians[level][n].rps:,.0f}" for n in names]
        if "mlgen" in names:
            for n in peers:
                ratio = medians[level]["mlgen"].rps / medians[level][n].rps if medians[level][n].rps else 0
                rng = _ratio_range(runs[level]["mlgen"], runs[level][n], lambda r: r.rps)
                cells.append(f"**{ratio:.2f}×** ({rng})")
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    lines += [""]
    head = "| clients | " + " | ".join(f"{SERVER_LABELS[n]} p50 / p99 ms" for n in names)
    head += "".join(f" | p99 mlgen ÷ {SERVER_LABELS[n]} (range)" for n in peers if n != "null")
    head += " | errors (" + "/".join(SERVER_LABELS[n] for n in names) + ") |"
    ratio_peers = [n for n in peers if n != "null"]
    lines += [head, "|---:" * (2 + len(names) + len(ratio_peers)) + "|"]
    for level in sorted(runs):
        cells = [
            f"{medians[level][n].percentile(50):.2f} / {medians[level][n].percentile(99):.2f}" for n in names
        ]
        if "mlgen" in names:
            for n in ratio_peers:
                ratio = medians[level]["mlgen"].percentile(99) / medians[level][n].percentile(99)
                rng = _ratio_range(runs[level]["mlgen"], runs[level][n], lambda r: r.percentile(99))
                cells.append(f"{ratio:.2f} ({rng})")
        cells.append("/".join(str(sum(r.errors for r in runs[level][n])) for n in names))
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", choices=sorted(MODEL_SHAPES), default="small", help="model shape")
    parser.add_argument("--servers", default="mlgen,mlserver,mlflow,null", help="which servers to run")
    parser.add_argument("--concurrency", default="1,8,64", help="comma-separated client counts")
    parser.add_argument("--duration", type=float, default=3.0, help="measured seconds per level and round")
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="unmeasured seconds before each measurement"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rotating rounds; the median is reported")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, the same for every server")
    parser.add_argument("--mlserver-python", help="interpreter of a venv with mlserver + mlserver-mlflow")
    parser.add_argument("--note", default="machine shared with other work", help="context for the table")
    parser.add_argument("--json", type=Path, help="also write every round here")
    args = parser.parse_args()
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = set(names) - set(SERVER_LABELS)
    if unknown:
        parser.error(f"unknown server(s) {sorted(unknown)}; choose from {', '.join(SERVER_LABELS)}")
    levels = [int(x) for x in args.concurrency.split(",")]
    if (args.duration + args.warmup) * args.rounds * len(levels) * len(names) > 900:
        parser.error("refusing to run for more than 15 minutes; lower --duration or --rounds")
    cpus = len(os.sched_getaffinity(0))
    threads = max(1, cpus // args.workers)
    load_before = f"{os.getloadavg()[0]:.2f}"
    python = mlserver_python(args.mlserver_python) if "mlserver" in names else None
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        root = Path(tmp)
        hidden, description = MODEL_SHAPES[args.model]
        model_dir = log_model(root, "model", build_net(hidden))
        servers: dict[str, Server] = {}
        try:
            import torch

            if "mlgen" in names:
                servers["mlgen"] = start_mlgen("mlgen", model_dir, args.workers, threads, root)
            if "null" in names:
                torch.manual_seed(0)
                null_dir = log_model(root, "null", torch.nn.Linear(8, 1))
                servers["null"] = start_mlgen("null", null_dir, args.workers, threads, root)
            if "mlflow" in names:
                servers["mlflow"] = start_mlflow(model_dir, args.workers, threads, root)
            if python is not None:
                servers["mlserver"] = start_mlserver(python, model_dir, args.workers, threads, root)
            for server in servers.values():
                wait_ready(server)
            rows = request_rows()
            for server in servers.values():
                server.requests = [http_request(server.port, server.path, mlflow_body(row)) for row in rows]
            values = {n: prediction(s, mlflow_body(rows[0])) for n, s in servers.items() if n != "null"}
            reference = next(iter(values.values()))
            if any(abs(v - reference) > 1e-4 * max(1.0, abs(reference)) for v in values.values()):
                raise SystemExit(f"servers disagree on the same row: {values}")
            runs: dict[int, dict[str, list[LevelResult]]] = {lv: {n: [] for n in names} for lv in levels}
            for round_index in range(args.rounds):
                for level in levels:
                    # Rotate which server goes first so slow drifts in machine load hit all alike.
                    shift = round_index % len(names)
                    for name in names[shift:] + names[:shift]:
                        result = asyncio.run(drive(servers[name], level, args.warmup, args.duration))
                        runs[level][name].append(result)
                        print(
                            f"round {round_index + 1} c={level:<3} {name:<8} {result.rps:8.0f} req/s "
                            f"p50 {result.percentile(50):7.2f} ms p99 {result.percentile(99):8.2f} ms "
                            f"errors {result.errors} load {os.getloadavg()[0]:.2f}",
                            file=sys.stderr,
                        )
        finally:
            stop_servers(servers)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": _cpu_model(),
        "cpus": str(cpus),
        "note": args.note,
        "model": description,
        "workers": str(args.workers),
        "threads": str(threads),
        "duration": f"{args.duration:g}",
        "warmup": f"{args.warmup:g}",
        "rounds": str(args.rounds),
        "load_before": load_before,
        "load_after": f"{os.getloadavg()[0]:.2f}",
        "command": "python benchmarks/serve_throughput.py " + " ".join(sys.argv[1:]),
    }
    print(markdown(runs, names, meta))
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
