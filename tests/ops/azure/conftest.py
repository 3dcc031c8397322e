"""The fake Azure endpoints on loopback, and an environment whose Azure calls go there and nowhere else.

Tokens come through azure-identity's DefaultAzureCredential, which finds the managed-identity endpoint
(IDENTITY_ENDPOINT/IDENTITY_HEADER) of the fake: the credential code the commands run is the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ops.azure.fake_azure import FakeAzure, Server

pytest.importorskip(
    "azure.identity", reason='the Azure ops tests need azure-identity (pip install "mlgen[azure]")'
)

CREDENTIAL_VARIABLES = (
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
)


@pytest.fixture
def azure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeAzure]:
    with Server() as server:
        base = server.fake.base
        for name in CREDENTIAL_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("IDENTITY_ENDPOINT", f"{base}/msi/token")
        monkeypatch.setenv("IDENTITY_HEADER", "test-identity-header")
        monkeypatch.setenv("MLGEN_AZURE_ARM_ENDPOINT", f"{base}/arm")
        monkeypatch.setenv("MLGEN_AZURE_BLOB_ENDPOINT", f"{base}/blob/{{account}}")
        monkeypatch.setenv("MLGEN_AZURE_REGISTRY_ENDPOINT", f"{base}/acr/{{registry}}")
        monkeypatch.setenv("MLGEN_AZURE_POLL_S", "0")
        # No az CLI or developer login of the machine running the tests may be used.
        monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path / "no-azure-cli"))
        monkeypatch.setenv("HOME", str(tmp_path))
        yield server.fake
