"""Running mlgen against the fake, and what every test checks about what the fake received."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from tests.ops.azure.fake_azure import BLOB_VERSION, FakeAzure, expected_version

from mlgen.cli import main


def mlgen(project: Path, *args: str, input: str | None = None) -> Result:
    command, rest = args[0], args[1:]
    prefix = [command] if command in {"doctor", "release", "teardown"} else [command, rest[0]]
    rest = rest if command in {"doctor", "release", "teardown"} else rest[1:]
    return CliRunner().invoke(
        main, [*prefix, "--project-dir", str(project), *rest], input=input, catch_exceptions=False
    )


def assert_versions_pinned(fake: FakeAzure) -> None:
    """Every ARM request carried its namespace's version, every blob request the blob version (the fake
    refuses others; this proves they were not merely refused and retried)."""
    assert fake.requests, "nothing reached the fake"
    for request in fake.requests:
        if request.path.startswith("/arm/") and not request.path.startswith("/arm/operations/"):
            assert request.query.get("api-version") == expected_version(request.path.removeprefix("/arm")), (
                request.path
            )
        if request.path.startswith("/blob/"):
            assert request.headers.get("x-ms-version") == BLOB_VERSION, request.path
