"""The fake Google APIs and gcp-storage-emulator on loopback, and a seeded GCP landing zone.

The ops commands run with MLGEN_GCP_ENDPOINT pointing at the fake (Vertex AI, Logging, Resource Manager,
Service Usage, Artifact Registry, KMS, Cloud Asset) and STORAGE_EMULATOR_HOST at the emulator, and make their
real google-cloud-aiplatform and google-cloud-storage calls.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "google.cloud.aiplatform_v1", reason="google-cloud-aiplatform is in the test extra (mlgen[gcp])"
)
pytest.importorskip("gcp_storage_emulator", reason="gcp-storage-emulator is in the test extra")

from tests.ops.gcp.fake_google import FakeGoogle
from tests.ops.gcp.landing_zone import LandingZone


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def fake_google() -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[tuple[object, str]]:
    from gcp_storage_emulator.server import create_server

    port = _free_port()
    server = create_server("127.0.0.1", port, in_memory=True)
    server.start()
    yield server, f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def gcp(
    fake_google: FakeGoogle, gcs_server: tuple[object, str], monkeypatch: pytest.MonkeyPatch
) -> FakeGoogle:
    """Clean fakes, and an environment whose Google calls go to them (and nowhere else)."""
    server, storage_url = gcs_server
    fake_google.reset()
    server.wipe()  # type: ignore[attr-defined]
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage_url)
    monkeypatch.setenv("MLGEN_GCP_ENDPOINT", fake_google.url)
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return fake_google


@pytest.fixture
def zone(gcp: FakeGoogle, tmp_path: Path) -> LandingZone:
    """A generated-project directory with a cloud: gcp spec, and dev's landing zone applied in the fakes."""
    landing = LandingZone(gcp, tmp_path / "project")
    landing.write_spec()
    landing.apply("dev")
    return landing
