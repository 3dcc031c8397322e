"""`mlgen images build|push`: the docker invocations, recorded by a fake `docker` on PATH (no engine here),
and the registry login through ECR's GetAuthorizationToken in moto's server. Wall time ~10 s.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.landing_zone import ACCOUNT, PROJECT, client, seed_landing_zone, write_spec

from mlgen.cli import main

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


def calls(fake: Path) -> list[dict]:
    return [json.loads(line) for line in Path(f"{fake}.calls").read_text().splitlines()]


def images(project: Path, *args: str):
    return CliRunner().invoke(
        main, ["images", *args, "--env", "dev", "--project-dir", str(project)], catch_exceptions=False
    )


def git(project: Path, *args: str) -> str:
    command = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def test_push_logs_in_through_the_sdk_with_the_password_on_stdin(
    aws: str, tmp_path: Path, docker: Path
) -> None:
    project = write_spec(tmp_path / "p")
    seed_landing_zone()
    result = images(project, "push", "--tag", "git-1a2b3c4")
    assert result.exit_code == 0, result.output
    login, *pushes = calls(docker)
    token = client("ecr").get_authorization_token()["authorizationData"][0]
    user, _, password = base64.b64decode(token["authorizationToken"]).decode().partition(":")
    assert login["args"] == [
        "login",
        "--username",
        user,
        "--password-stdin",
        token["proxyEndpoint"].removeprefix("https://"),
    ]
    assert login["stdin"] == password and password not in " ".join(login["args"])
    registry = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
    assert [p["args"] for p in pushes] == [
        ["push", f"{registry}/{PROJECT}-dev/training:git-1a2b3c4"],
        ["push", f"{registry}/{PROJECT}-dev/serving:git-1a2b3c4"],
    ]


def test_build_tags_from_the_commit_and_refuses_a_dirty_tree(aws: str, tmp_path: Path, docker: Path) -> None:
    from mlgen.pipeline import generate_project

    project = write_spec(tmp_path / "p")
    generate_project(project)
    seed_landing_zone()
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "init")
    sha = git(project, "rev-parse", "--short=7", "HEAD")
    result = images(project, "build", "--only", "serving")
    assert result.exit_code == 0, result.output
    (build,) = calls(docker)
    assert build["args"] == [
        "build",
        "--pull",
        "-t",
        f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{PROJECT}-dev/serving:git-{sha}",
        str(project / "serving"),
    ]
    (project / "serving" / "extra.txt").write_text("uncommitted")
    dirty = images(project, "build")
    assert dirty.exit_code == 1 and "uncommitted changes" in dirty.output
    assert images(project, "build", "--tag", "latest").exit_code == 1
