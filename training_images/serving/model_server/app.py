"""The HTTP application: platform routes, validation, micro-batching, metrics, request ids.

Routes (all platforms): ``GET /health`` (liveness), ``GET /ready`` (503 until every worker has loaded
the model: see readiness.py),
``POST /predict``, ``GET /metadata``, ``GET /metrics``; SageMaker aliases ``GET /ping`` and
``POST /invocations``; Vertex AI's ``AIP_HEALTH_ROUTE`` / ``AIP_PREDICT_ROUTE`` when set.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import re
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from model_server.batching import MicroBatcher
from model_server.config import Settings, load_settings
from model_server.inputs import InputError, parse_csv, parse_json
from model_server.logs import configure_logging
from model_server.metrics import Metrics
from model_server.readiness import WorkerReadiness

log = logging.getLogger("model_server.app")
access_log = logging.getLogger("model_server.access")

RESOLVED_ENV = "SERVING_RESOLVED_MODEL"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
JSON_TYPES = ("application/json",)
CSV_TYPES = ("text/csv",)


class PayloadTooLarge(Exception):
    pass


def _json(body: Any, status: int = 200, request_id: str | None = None) -> Response:
    headers = {"x-request-id": request_id} if request_id else None
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _error(status: int, code: str, message: str, request_id: str, field: str | None = None) -> Response:
    body: dict[str, Any] = {"error_code": code, "message": message, "request_id": request_id}
    if field:
        body["field"] = field
    return _json(body, status, request_id)


class ServingState:
    """Everything one worker process holds: settings, the model once loaded, the batcher, metrics."""

    def __init__(self, settings: Settings, resolved: dict[str, Any] | None) -> None:
        self.settings = settings
        self.resolved = resolved
        self.metrics = Metrics()
        self.model = None
        self.load_error: str | None = None
        self.batcher: MicroBatcher | None = None
        self.readiness = WorkerReadiness.from_env(settings.workers)

    # -- lifecycle -------------------------------------------------------------------------------
    def _resolve_and_load(self) -> Any:  # a model.LoadedModel; model.py imports torch, so lazily
        from model_server.location import resolve_model, resolved_as_dict, run_tags
        from model_server.model import load_model

        if self.resolved is None:  # remote model: fetched here, in the background, port already open
            resolved = resolve_model(self.settings)
            self.resolved = {**resolved_as_dict(resolved), "run_tags": {}}
            from mlflow.models import Model

            self.resolved["run_tags"] = run_tags(Model.load(str(resolved.local_dir / "MLmodel")).run_id)
        return load_model(Path(self.resolved["local_dir"]), self.resolved, self.settings.torch_threads)

    async def _load(self) -> None:
        from model_server.config import ConfigError

        started = time.perf_counter()
        try:
            model = await asyncio.to_thread(self._resolve_and_load)
        except ConfigError as exc:  # the person's setup is wrong: say what, no trace
            self._fail(str(exc))
            log.error("model failed to load: %s", exc)
            return
        except Exception as exc:  # any load failure makes the server unhealthy, with a reason
            self._fail(f"{type(exc).__name__}: {exc}")
            log.exception("model failed to load")
            return
        self.batcher = MicroBatcher(
            model.predict,
            self.settings.max_batch_size,
            self.settings.max_batch_wait_ms / 1000.0,
            on_batch=self.metrics.observe_batch,
        )
        self.batcher.start()
        # Everything loaded so far (torch, mlflow, the model) lives as long as the process: move it out
        # of the garbage collector's view so full collections stay short and do not show up in p99.
        gc.collect()
        gc.freeze()
        self.model = model
        self.metrics.ready = 1
        self.readiness.mark_ready()
        log.info(
            "ready",
            extra={"backend": model.backend, "load_seconds": round(time.perf_counter() - started, 3)},
        )

    def _fail(self, reason: str) -> None:
        """Unhealthy for good: /health and /ready say why, and the container stops with a non-zero code.

        A model that cannot load will not heal by waiting; exiting lets the platform show the failure
        (and restart or roll back) instead of probing a zombie until its start-up timeout.
        """
        self.load_error = reason
        failure_file = os.environ.get("SERVING_FAILURE_FILE")
        if failure_file:
            Path(failure_file).write_text(reason)
        if self.settings.exit_on_load_failure:
            # Several workers: stop uvicorn's supervisor (our parent), which stops every worker.
            target = os.getppid() if self.settings.workers > 1 else os.getpid()
            asyncio.get_running_loop().call_later(0.5, os.kill, target, signal.SIGTERM)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        # Load in the background so /health answers (and /ready says 503) while a big model loads.
        loader = asyncio.get_running_loop().create_task(self._load())
        try:
            yield
        finally:
            self.readiness.mark_stopped()
            loader.cancel()
            if self.batcher:
                await self.batcher.stop()
            log.info("stopped")

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def request_id(request: Request) -> str:
        incoming = request.headers.get("x-request-id")
        return incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex

    def _finish(
        self, route: str, request: Request, status: int, started: float, request_id: str, **extra: Any
    ) -> None:
        elapsed = time.perf_counter() - started
        self.metrics.observe_request(route, status, elapsed)
        if self.settings.access_log:
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.url.path,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 3),
                    **extra,
                },
            )

    async def _read_body(self, request: Request) -> bytes:
        limit = self.settings.max_request_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    # -- routes ----------------------------------------------------------------------------------
    def simple(
        self, route: str, handler: Callable[[str], Response]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            request_id = self.request_id(request)
            response = handler(request_id)
            response.headers["x-request-id"] = request_id
            self._finish(route, request, response.status_code, started, request_id)
            return response

        return endpoint

    def health(self, request_id: str) -> Response:
        if self.load_error:
            return _json({"status": "failed", "message": f"model failed to load: {self.load_error}"}, 503)
        return _json({"status": "ok"})

    def ready(self, request_id: str) -> Response:
        """The server's readiness, not this worker's: a probe passing must mean any worker can answer."""
        if self.load_error:
            return _json({"status": "failed", "message": f"model failed to load: {self.load_error}"}, 503)
        if self.model is None:
            return _json({"status": "loading", "message": "the model is still loading"}, 503)
        expected = self.readiness.expected_workers
        loaded = self.readiness.ready_workers()
        if loaded < expected:  # a sibling is still loading, or died and is being restarted
            message = f"{loaded} of {expected} workers have loaded the model"
            return _json({"status": "loading", "message": message, "workers_ready": loaded}, 503)
        return _json({"status": "ready", "workers_ready": loaded})

    def metadata(self, request_id: str) -> Response:
        if self.model is None:
            return _error(503, "not_ready", "the model is not loaded yet", request_id)
        return _json(self.model.metadata)

    def metrics_text(self, request_id: str) -> Response:
        return Response(self.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    def predict_endpoint(self, route: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            request_id = self.request_id(request)
            self.metrics.in_flight += 1
            try:
                response, rows = await self._predict(request, request_id)
            finally:
                self.metrics.in_flight -= 1
            self._finish(route, request, response.status_code, started, request_id, rows=rows)
            return response

        return endpoint

    async def _predict(self, request: Request, request_id: str) -> tuple[Response, int]:
        model, batcher = self.model, self.batcher
        if model is None or batcher is None:
            self.metrics.observe_error("not_ready")
            return _error(
                503, "not_ready", "the model is not loaded yet; retry when /ready answers 200", request_id
            ), 0
        content_type = request.headers.get("content-type", "application/json")
        media_type, _, options = content_type.partition(";")
        media_type = media_type.strip().lower()
        charset = re.search(r"charset\s*=\s*\"?([\w-]+)", options, re.IGNORECASE)
        if media_type not in JSON_TYPES + CSV_TYPES or (
            charset and charset.group(1).lower() not in ("utf-8", "utf8")
        ):
            self.metrics.observe_error("unsupported_media_type")
            message = f"unsupported content type {content_type!r}; send application/json or text/csv (UTF-8)"
            return _error(415, "unsupported_media_type", message, request_id), 0
        batcher.arriving += 1
        arriving = True
        try:
            try:
                body = await self._read_body(request)
            except PayloadTooLarge:
                self.metrics.observe_error("payload_too_large")
                limit = self.settings.max_request_bytes
                message = f"request body is larger than the {limit} byte limit (SERVING_MAX_REQUEST_BYTES)"
                return _error(413, "payload_too_large", message, request_id), 0
            try:
                if media_type in CSV_TYPES:
                    payload = parse_csv(body, model.schema)
                else:
                    payload = parse_json(body, model.schema)
            except InputError as exc:
                self.metrics.observe_error("invalid_input")
                return _error(400, "invalid_input", exc.message, request_id, exc.field), 0
            batcher.arriving -= 1
            arriving = False
            try:
                predictions = await batcher.submit(payload)
            except InputError as exc:  # MLflow's own schema enforcement (pyfunc models)
                self.metrics.observe_error("invalid_input")
                return _error(400, "invalid_input", exc.message, request_id, exc.field), 0
            except Exception:
                self.metrics.observe_error("model_error")
                log.exception("prediction failed", extra={"request_id": request_id})
                message = f"the model failed on this input; quote request id {request_id} to the operators"
                return _error(500, "model_error", message, request_id), payload.n_rows
            return _json({"predictions": predictions}, 200, request_id), payload.n_rows
        finally:
            if arriving:
                batcher.arriving -= 1


def _resolved_from_env() -> dict[str, Any] | None:
    """What ``python -m model_server`` already resolved; None means the worker fetches the model itself."""
    raw = os.environ.get(RESOLVED_ENV)
    return json.loads(raw) if raw else None


def create_app() -> Starlette:
    settings = load_settings()
    configure_logging(settings.log_level)
    state = ServingState(settings, _resolved_from_env())
    routes = [
        Route("/health", state.simple("health", state.health), methods=["GET"]),
        Route("/ready", state.simple("ready", state.ready), methods=["GET"]),
        Route("/ping", state.simple("ping", state.ready), methods=["GET"]),
        Route("/metadata", state.simple("metadata", state.metadata), methods=["GET"]),
        Route("/metrics", state.simple("metrics", state.metrics_text), methods=["GET"]),
        Route("/predict", state.predict_endpoint("predict"), methods=["POST"]),
        Route("/invocations", state.predict_endpoint("invocations"), methods=["POST"]),
    ]
    taken = {route.path for route in routes}
    if settings.vertex_health_route:
        # Vertex AI sends traffic once its health route says 200, so that route means "ready" — even
        # when it is /health, which elsewhere means "alive".
        routes = [r for r in routes if not (r.path == settings.vertex_health_route and "GET" in r.methods)]
        routes.append(
            Route(settings.vertex_health_route, state.simple("vertex_health", state.ready), methods=["GET"])
        )
    if settings.vertex_predict_route and settings.vertex_predict_route not in taken:
        routes.append(
            Route(settings.vertex_predict_route, state.predict_endpoint("vertex_predict"), methods=["POST"])
        )
    app = Starlette(routes=routes, lifespan=state.lifespan)
    app.state.serving = state
    return app
