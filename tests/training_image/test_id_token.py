"""Google ID tokens for mlgen's Cloud Run MLflow server: fetched from a metadata server, sent by MLflow as the
bearer token, renewed before they expire. Both servers are real HTTP servers on loopback: a fake metadata
server that mints short-lived JWTs, and a fake MLflow REST endpoint that records the Authorization header.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from mlgen_train import id_token
from mlgen_train.errors import TrainingSetupError


def _jwt(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2ln"


class _Metadata(BaseHTTPRequestHandler):
    lifetime_s = 2.0
    issued: ClassVar[list[tuple[str, str, str]]] = []  # (audience, Metadata-Flavor header, token)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path != id_token.IDENTITY_PATH or query.get("format") != ["full"]:
            self.send_error(404)
            return
        token = _jwt(
            {"aud": query["audience"][0], "n": len(self.issued), "exp": time.time() + self.lifetime_s}
        )
        self.issued.append((query["audience"][0], self.headers.get("Metadata-Flavor", ""), token))
        body = token.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None: ...


class _Mlflow(BaseHTTPRequestHandler):
    """Enough of the MLflow REST API for get-by-name (none yet) and create."""

    seen: ClassVar[list[tuple[str, str]]] = []  # (path, Authorization header)

    def _reply(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.seen.append((urllib.parse.urlsplit(self.path).path, self.headers.get("Authorization", "")))
        self._reply(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no such experiment"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = urllib.parse.urlsplit(self.path).path
        self.seen.append((path, self.headers.get("Authorization", "")))
        if path.endswith("/experiments/create"):
            self._reply(200, {"experiment_id": "7"})
        else:
            self._reply(404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": path})

    def log_message(self, *args: object) -> None: ...


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def metadata_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    _Metadata.issued = []
    for host in _serve(_Metadata):
        monkeypatch.setenv("GCE_METADATA_HOST", host)
        yield host


@pytest.fixture
def mlflow_url() -> Iterator[str]:
    _Mlflow.seen = []
    for host in _serve(_Mlflow):
        yield f"http://{host}"


@pytest.fixture(autouse=True)
def _no_token_leaks(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (id_token.TOKEN_VARIABLE, id_token.MODE_VARIABLE, "MLFLOW_TRACKING_URI"):
        monkeypatch.delenv(name, raising=False)


def test_when_tokens_are_wanted() -> None:
    run_app = "https://mlflow-abc-ew.a.run.app"
    assert id_token.wanted({}, run_app)  # mlgen's server, nothing configured: send tokens
    assert not id_token.wanted({"MLFLOW_TRACKING_TOKEN": "mine"}, run_app)  # the user's own credential wins
    assert not id_token.wanted({"MLGEN_MLFLOW_AUTH": "none"}, run_app)
    assert id_token.wanted({"MLGEN_MLFLOW_AUTH": "gcp-id-token"}, "https://mlflow.example.com")
    assert not id_token.wanted({}, "https://mlflow.example.com")
    assert not id_token.wanted({}, "sqlite:///tmp/mlflow.db")
    with pytest.raises(TrainingSetupError, match="MLGEN_MLFLOW_AUTH='oidc' is not one of"):
        id_token.wanted({"MLGEN_MLFLOW_AUTH": "oidc"}, run_app)
    assert id_token.audience("https://mlflow-abc-ew.a.run.app/some/path") == run_app
    with pytest.raises(TrainingSetupError, match="needs an http"):
        id_token.audience("sqlite:///tmp/mlflow.db")


def test_mlflow_sends_the_token_and_the_refresher_renews_it_before_expiry(metadata_host, mlflow_url):
    import mlflow

    refresher = id_token.IdTokenRefresher(mlflow_url, margin_s=1.0, retry_s=0.2).start()
    try:
        client = mlflow.MlflowClient(tracking_uri=mlflow_url)
        assert client.get_experiment_by_name("demo") is None
        deadline = time.time() + 10
        while refresher.refreshes < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert refresher.refreshes >= 2, "the token was not renewed before it expired"
        assert client.get_experiment_by_name("demo") is None
    finally:
        refresher.stop()
    first, second = _Metadata.issued[0][2], _Metadata.issued[1][2]
    assert first != second
    assert all(aud == mlflow_url and flavor == "Google" for aud, flavor, _ in _Metadata.issued)
    sent = [auth for path, auth in _Mlflow.seen if path.endswith("/experiments/get-by-name")]
    assert sent[0] == f"Bearer {first}"
    assert sent[-1] != sent[0] and sent[-1].startswith("Bearer ")  # a renewed token, not the first one
    assert id_token.expiry(second) > id_token.expiry(first)


def test_the_tracker_turns_it_on_for_the_gcp_job_environment(
    metadata_host, mlflow_url, tmp_path, monkeypatch
):
    import mlflow
    from mlgen_train.tracking import MlflowTracker

    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_url)
    monkeypatch.setenv("MLGEN_MLFLOW_AUTH", "gcp-id-token")  # what `mlgen train submit` sets on Vertex AI
    tracker = MlflowTracker("demo", "run", tmp_path, flush_every=10)
    try:
        assert tracker.experiment_id == "7"
        assert {auth for _, auth in _Mlflow.seen} == {f"Bearer {_Metadata.issued[0][2]}"}
        assert [path.rsplit("/", 1)[-1] for path, _ in _Mlflow.seen][-2:] == ["get-by-name", "create"]
    finally:
        tracker._id_token.stop()
        mlflow.set_tracking_uri(None)  # the tracker set the process-wide URI; later tests must not see it


def test_no_metadata_server_is_one_clear_error(monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("GCE_METADATA_HOST", f"127.0.0.1:{port}")
    with pytest.raises(TrainingSetupError, match=r"roles/run\.invoker") as raised:
        id_token.start_if_wanted("https://mlflow-abc-ew.a.run.app", {})
    assert "MLGEN_MLFLOW_AUTH=none" in str(raised.value)
