"""Server settings, read once from the environment.

Every platform speaks through environment variables (SageMaker: ``SAGEMAKER_BIND_TO_PORT``; Vertex AI:
``AIP_*``; Azure ML: ``AZUREML_MODEL_DIR``). This module turns them, plus our own ``SERVING_*`` knobs,
into one :class:`Settings` object so nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    """A setting a person must fix; printed without a traceback."""


PLATFORMS = ("auto", "sagemaker", "vertex", "azure", "local")


@dataclass(frozen=True)
class Settings:
    platform: str
    host: str
    port: int
    workers: int
    torch_threads: int
    max_batch_size: int
    max_batch_wait_ms: float
    max_request_bytes: int
    graceful_timeout_s: int
    model_uri: str | None
    model_name: str | None
    model_version: str | None
    sagemaker_root: Path
    azure_model_dir: str | None
    vertex_storage_uri: str | None
    vertex_health_route: str | None
    vertex_predict_route: str | None
    download_dir: str | None
    access_log: bool
    log_level: str
    exit_on_load_failure: bool


def available_cpus() -> int:
    """CPUs this process may really use: affinity mask, capped by a cgroup v2 quota (containers)."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        count = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            count = min(count, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)


def gpu_present() -> bool:
    """An NVIDIA device node is visible (cheap: no torch import in the parent process)."""
    return Path("/dev/nvidia0").exists()


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must be >= 0, got {value}")
    return value


def _route(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name)
    if not raw:
        return None
    if not raw.startswith("/"):
        raise ConfigError(f"{name} must be a path starting with '/', got {raw!r}")
    return raw


def detect_platform(env: Mapping[str, str]) -> str:
    """Which platform's model location applies. An explicit SERVING_MODEL_URI always wins."""
    explicit = env.get("SERVING_PLATFORM", "auto").lower()
    if explicit not in PLATFORMS:
        raise ConfigError(f"SERVING_PLATFORM must be one of {', '.join(PLATFORMS)}, got {explicit!r}")
    if explicit != "auto":
        return explicit
    if env.get("SERVING_MODEL_URI"):
        return "local"
    if any(env.get(name) for name in ("AIP_STORAGE_URI", "AIP_HTTP_PORT", "AIP_PREDICT_ROUTE")):
        return "vertex"
    if env.get("AZUREML_MODEL_DIR"):
        return "azure"
    # SageMaker sets almost nothing for BYO inference; its convention is the model under /opt/ml/model.
    return "sagemaker"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    platform = detect_platform(env)
    cpus = available_cpus()
    # Port precedence follows each platform's contract; SERVING_PORT lets a person override all of them.
    port = (
        _int(env, "SERVING_PORT", 0)
        or _int(env, "SAGEMAKER_BIND_TO_PORT", 0)
        or _int(env, "AIP_HTTP_PORT", 0)
        or 8080
    )
    # Small models are bound by HTTP and JSON work, which one process does on one core: one worker per
    # CPU (up to 4). On a GPU host every worker would hold its own copy of the model: one worker.
    default_workers = 1 if gpu_present() else min(4, cpus)
    workers = _int(env, "SERVING_WORKERS", default_workers, minimum=1)
    torch_threads = _int(env, "SERVING_TORCH_THREADS", max(1, cpus // workers), minimum=1)
    log_level = env.get("SERVING_LOG_LEVEL", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"SERVING_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
    return Settings(
        platform=platform,
        host=env.get("SERVING_HOST", "0.0.0.0"),
        port=port,
        workers=workers,
        torch_threads=torch_threads,
        max_batch_size=_int(env, "SERVING_MAX_BATCH_SIZE", 256, minimum=1),
        max_batch_wait_ms=_float(env, "SERVING_MAX_BATCH_WAIT_MS", 2.0),
        max_request_bytes=_int(env, "SERVING_MAX_REQUEST_BYTES", 6 * 1024 * 1024, minimum=1),
        graceful_timeout_s=_int(env, "SERVING_GRACEFUL_TIMEOUT_S", 30, minimum=1),
        model_uri=env.get("SERVING_MODEL_URI") or None,
        model_name=env.get("SERVING_MODEL_NAME") or None,
        model_version=env.get("SERVING_MODEL_VERSION") or None,
        sagemaker_root=Path(env.get("SERVING_SAGEMAKER_ROOT", "/opt/ml")),
        azure_model_dir=env.get("AZUREML_MODEL_DIR") or None,
        vertex_storage_uri=env.get("AIP_STORAGE_URI") or None,
        vertex_health_route=_route(env, "AIP_HEALTH_ROUTE"),
        vertex_predict_route=_route(env, "AIP_PREDICT_ROUTE"),
        download_dir=env.get("SERVING_DOWNLOAD_DIR") or None,
        access_log=env.get("SERVING_ACCESS_LOG", "true").lower() in ("1", "true", "yes"),
        exit_on_load_failure=env.get("SERVING_EXIT_ON_LOAD_FAILURE", "true").lower() in ("1", "true", "yes"),
        log_level=log_level,
    )
