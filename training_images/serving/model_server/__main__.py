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
import signal
import sys

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


def _run_tags(run_id: str | None) -> dict[str, str]:
    """Code/dataset version tags of the training run, when a tracking server is configured (best effort)."""
    if not run_id or not os.environ.get("MLFLOW_TRACKING_URI"):
        return {}
    try:
        import mlflow

        tags = mlflow.MlflowClient().get_run(run_id).data.tags
    except Exception as exc:  # noqa: BLE001 - metadata is optional; serving must not depend on it
        log.warning("could not read run tags", extra={"run_id": run_id, "error": str(exc)})
        return {}
    keep = {"mlflow.source.git.commit", "mlflow.source.name"}
    return {k: v for k, v in sorted(tags.items()) if k in keep or not k.startswith("mlflow.")}


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
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        from model_server.location import resolve_model

        resolved = resolve_model(settings)
    except ConfigError as exc:
        logging.basicConfig()
        log.error("cannot start: %s", exc)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from mlflow.models import Model

    run_id = Model.load(str(resolved.local_dir / "MLmodel")).run_id
    os.environ["SERVING_RESOLVED_MODEL"] = json.dumps(
        {
            "local_dir": str(resolved.local_dir),
            "source": resolved.source,
            "name": resolved.name,
            "version": resolved.version,
            "run_tags": _run_tags(run_id),
        }
    )
    log.info(
        "starting",
        extra={
            "platform": settings.platform,
            "model_dir": str(resolved.local_dir),
            "port": settings.port,
            "workers": settings.workers,
            "torch_threads": settings.torch_threads,
            "max_batch_size": settings.max_batch_size,
            "max_batch_wait_ms": settings.max_batch_wait_ms,
        },
    )
    import uvicorn

    # uvicorn drains in-flight requests on SIGTERM, then re-raises the signal; a drained shutdown is a
    # success, so exit 0 rather than 143 (platforms log non-zero exits as crashes).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
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
        # SageMaker keeps connections open between invocations; outlive typical client keep-alives.
        timeout_keep_alive=75,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
