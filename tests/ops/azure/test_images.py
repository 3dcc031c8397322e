"""`mlgen images push` on Azure: docker logs in to ACR with the refresh token the registry exchanged for
the caller's Entra ID token (admin user off), passed on stdin; images go to <login server>/<name>:<tag>.
docker is a recording fake on PATH (no engine here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.azure import zone
from tests.ops.azure.fake_azure import ARM_AUDIENCE, FakeAzure, audience_of

from mlgen.cli import main
from mlgen.clouds.azure import naming

FAKE_DOCKER = """#!/usr/bin/env python3
import json, sys
stdin = sys.stdin.read() if "--password-stdin" in sys.argv else None
with open(sys.argv[0] + ".calls", "a") as calls:
    calls.write(json.dumps({"args": sys.argv[1:], "stdin": stdin}) + "\\n")
"""


@pytest.fixture
def docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fake = tmp_path / "bin" / "docker"
    fake.parent.mkdir()
    fake.write_text(FAKE_DOCKER)
    fake.chmod(0o755)
    monkeypatch.setenv("MLGEN_DOCKER", str(fake))
    return fake


def test_push_logs_in_with_the_exchanged_token(azure: FakeAzure, tmp_path: Path, docker: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    env = zone.environment(project)
    zone.seed(azure, env)
    result = CliRunner().invoke(
        main,
        ["images", "push", "--env", "dev", "--project-dir", str(project), "--tag", "git-1a2b3c4"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    login_server = f"{naming.container_registry(env)}.azurecr.io"
    login, *pushes = [json.loads(line) for line in Path(f"{docker}.calls").read_text().splitlines()]
    assert login["args"] == [
        "login",
        "--username",
        "00000000-0000-0000-0000-000000000000",
        "--password-stdin",
        login_server,
    ]
    assert login["stdin"] == f"acr-refresh-{login_server}"
    assert [p["args"] for p in pushes] == [
        ["push", f"{login_server}/training:git-1a2b3c4"],
        ["push", f"{login_server}/serving:git-1a2b3c4"],
    ]
    (exchange,) = [r for r in azure.requests if r.path.endswith("/oauth2/exchange")]
    assert exchange.body["grant_type"] == "access_token" and exchange.body["service"] == login_server
    assert audience_of(exchange.body["access_token"]) == ARM_AUDIENCE
    assert result.stdout.split() == [
        f"{login_server}/training:git-1a2b3c4",
        f"{login_server}/serving:git-1a2b3c4",
    ]


def test_no_registry_yet_says_apply_first(azure: FakeAzure, tmp_path: Path, docker: Path) -> None:
    project = zone.write_spec(tmp_path / "p")
    result = CliRunner().invoke(
        main,
        ["images", "push", "--env", "dev", "--project-dir", str(project), "--tag", "git-1"],
        catch_exceptions=False,
    )
    assert (
        result.exit_code == 1
        and "no container registry" in result.output
        and "apply the landing zone" in result.output
    )
