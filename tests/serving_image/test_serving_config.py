"""Settings from each platform's environment: which platform, which port, which limits."""

from __future__ import annotations

import os

import pytest
from model_server.config import ConfigError, detect_platform, load_settings


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({}, "sagemaker"),
        ({"SAGEMAKER_BIND_TO_PORT": "9000"}, "sagemaker"),
        ({"AIP_STORAGE_URI": "gs://b/m", "AIP_HTTP_PORT": "8080"}, "vertex"),
        ({"AZUREML_MODEL_DIR": "/var/azureml-app/azureml-models/m/1"}, "azure"),
        ({"SERVING_MODEL_URI": "models:/m/1", "AIP_HTTP_PORT": "8080"}, "local"),
        ({"SERVING_PLATFORM": "azure", "AIP_HTTP_PORT": "8080"}, "azure"),
    ],
)
def test_platform_is_detected_from_its_environment(env: dict[str, str], platform: str) -> None:
    assert detect_platform(env) == platform


@pytest.mark.parametrize(
    ("env", "port"),
    [
        ({}, 8080),
        ({"SAGEMAKER_BIND_TO_PORT": "9001"}, 9001),
        ({"AIP_HTTP_PORT": "7080"}, 7080),
        ({"AIP_HTTP_PORT": "7080", "SERVING_PORT": "6000"}, 6000),
    ],
)
def test_port_follows_the_platform_unless_overridden(env: dict[str, str], port: int) -> None:
    assert load_settings(env).port == port


def test_vertex_routes_are_read_and_must_be_paths() -> None:
    settings = load_settings({"AIP_HEALTH_ROUTE": "/h", "AIP_PREDICT_ROUTE": "/v1/endpoints/1:predict"})
    assert (settings.vertex_health_route, settings.vertex_predict_route) == ("/h", "/v1/endpoints/1:predict")
    with pytest.raises(ConfigError, match="AIP_PREDICT_ROUTE must be a path"):
        load_settings({"AIP_PREDICT_ROUTE": "predict"})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SERVING_WORKERS": "0"}, "SERVING_WORKERS must be >= 1"),
        ({"SERVING_MAX_BATCH_WAIT_MS": "-1"}, "SERVING_MAX_BATCH_WAIT_MS must be >= 0"),
        ({"SERVING_PLATFORM": "heroku"}, "SERVING_PLATFORM must be one of"),
        ({"SERVING_LOG_LEVEL": "chatty"}, "SERVING_LOG_LEVEL must be"),
    ],
)
def test_bad_settings_are_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_threads_share_the_cpus_between_workers() -> None:
    settings = load_settings({"SERVING_WORKERS": "1"})
    assert settings.torch_threads >= 1
    assert load_settings({"SERVING_WORKERS": "1", "SERVING_TORCH_THREADS": "3"}).torch_threads == 3


@pytest.mark.parametrize(("aip_health_route", "status"), [(None, 200), ("/health", 503)])
def test_vertex_health_route_means_ready_even_when_it_is_health(
    monkeypatch: pytest.MonkeyPatch, aip_health_route: str | None, status: int
) -> None:
    """Before the model is loaded, /health is alive (200) — unless Vertex probes it for readiness."""
    import logging

    from model_server.app import create_app
    from starlette.testclient import TestClient

    for name in [n for n in os.environ if n.startswith(("AIP_", "SERVING_", "AZUREML_", "SAGEMAKER_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SERVING_RESOLVED_MODEL", '{"local_dir": "/nonexistent", "run_tags": {}}')
    if aip_health_route:
        monkeypatch.setenv("AIP_HEALTH_ROUTE", aip_health_route)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("uvicorn.access").disabled)
    try:
        client = TestClient(create_app())  # no lifespan: the model is never loaded
        assert client.get("/health").status_code == status
        assert client.get("/ready").status_code == 503
    finally:
        root.handlers[:], root.level, logging.getLogger("uvicorn.access").disabled = saved
