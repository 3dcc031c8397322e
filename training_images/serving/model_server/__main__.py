"""Container entrypoint: ``python -m model_server [serve] [--model-uri URI] [--port N] [--workers N]``.

SageMaker starts the image with the single argument ``serve``; other platforms and local runs may pass it
or not. The model is located (and downloaded, for Vertex AI and registry URIs) once, here, before the
workers start; then uvicorn serves ``model_server.app:create_app`` in one or more worker processes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from model_server.config import ConfigError, load_settings
from model_server.logs import configure_logging

log = logging.getLogger("model_server")


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="model_server", description="Serve an MLflow model over HTTP.")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "train"])
    parser.add_argument(
        "--model-uri", help="model directory or models:/name/version (sets SERVING_MODEL_URI)"
    )
    parser.add_argument("--host", help="bind address (sets SERVING_HOST)")
    parser.add_argument("--port", type=int, help="port (sets SERVING_PORT)")
    parser.add_argument("--workers", type=int, help="worker processes (sets SERVING_WORKERS)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "train":
        print("this is the serving image; run training with the training image", file=sys.stderr)
        return 2
    for value, name in (
        (args.model_uri, "SERVING_MODEL_URI"),
        (args.host, "SERVING_HOST"),
        (args.port, "SERVING_PORT"),
        (args.workers, "SERVING_WORKERS"),
    ):
        if value is not None:
            os.environ[name] = str(value)
    # Downloads print tqdm bars to stderr otherwise, which breaks one-JSON-object-per-line logs.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    configure_logging("INFO")  # until the settings (and their log level) are known
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        from model_server.location import needs_download, resolve_model, resolved_as_dict, run_tags

        if needs_download(settings):
            # Fetched by the workers in the background: the port must open at once (Vertex AI restarts a
            # container whose port stays closed for ~40 s), and /ready says 503 until the model is there.
            resolved = None
        else:
            resolved = resolve_model(settings)  # local files: check them now, fail fast with a clear message
    except ConfigError as exc:
        log.error("cannot start: %s", exc)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if resolved is not None:
        from mlflow.models import Model

        description = resolved_as_dict(resolved)
        description["run_tags"] = run_tags(Model.load(str(resolved.local_dir / "MLmodel")).run_id)
        os.environ["SERVING_RESOLVED_MODEL"] = json.dumps(description)
    # One scratch directory per launch: the workers share downloads through it (never a stale copy from
    # an earlier run), and report a model that cannot load there so the container exits non-zero.
    if settings.download_dir:
        Path(settings.download_dir).mkdir(parents=True, exist_ok=True)
    launch_dir = Path(tempfile.mkdtemp(prefix="serving-", dir=settings.download_dir))
    failure_file = launch_dir / "load-failure"
    os.environ["SERVING_DOWNLOAD_DIR"] = str(launch_dir / "models")
    os.environ["SERVING_FAILURE_FILE"] = str(failure_file)
    # Each worker marks itself ready here; /ready counts the live ones against SERVING_WORKERS (one
    # value for all workers, so set it explicitly rather than letting each derive it).
    (launch_dir / "ready").mkdir()
    os.environ["SERVING_READY_DIR"] = str(launch_dir / "ready")
    os.environ["SERVING_WORKERS"] = str(settings.workers)
    log.info(
        "starting",
        extra={
            "platform": settings.platform,
            "model_dir": str(resolved.local_dir) if resolved else "(fetched by the workers)",
            "port": settings.port,
            "workers": settings.workers,
            "torch_threads": settings.torch_threads,
            "max_batch_size": settings.max_batch_size,
            "max_batch_wait_ms": settings.max_batch_wait_ms,
        },
    )
    import uvicorn

    # uvicorn drains in-flight requests on SIGTERM, then re-raises the signal; a drained shutdown is a
    # success, so exit 0 rather than 143 (platforms log non-zero exits as crashes) — unless the model
    # could not be loaded, which must look like the failure it is.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(_exit_code(failure_file)))
    try:
        uvicorn.run(
            "model_server.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=settings.graceful_timeout_s,
            # uvicorn kills a worker that does not answer its supervisor's ping in time (5 s by default),
            # and a worker still spawning on a starved CPU (a throttled container, a packed host) cannot:
            # seen on a 2-CPU host at load 30, every worker killed and respawned every 5 s, forever.
            timeout_worker_healthcheck=60,
            # SageMaker keeps connections open between invocations; outlive typical client keep-alives.
            timeout_keep_alive=75,
        )
        return _exit_code(failure_file)
    finally:
        shutil.rmtree(launch_dir, ignore_errors=True)


def _exit_code(failure_file: Path) -> int:
    if failure_file.exists():
        log.error("exiting: the model could not be loaded: %s", failure_file.read_text())
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
