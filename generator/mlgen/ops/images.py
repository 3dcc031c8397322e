"""`mlgen images build|push`: docker build of training/ and serving/, registry login, push.

Tags are immutable and derived from the git commit (``git-<short sha>``); a dirty tree is refused unless
``--allow-dirty``, because the tag would then name code that is not in any commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from mlgen.ops.base import CloudOps, Echo
from mlgen.ops.errors import OpsError
from mlgen.ops.naming import NO_GIT, git_is_dirty, git_short_sha

IMAGES = ("training", "serving")  # directory in the project == repository name in the registry


def docker_binary() -> str:
    binary = os.environ.get("MLGEN_DOCKER", "docker")
    if shutil.which(binary) is None:
        raise OpsError(f"{binary} is not on PATH: install Docker to build images")
    return binary


def image_tag(project_dir: Path, tag: str | None, allow_dirty: bool) -> str:
    if tag:
        if tag == "latest":
            raise OpsError("tags are immutable in the registry: use a versioned tag, not latest")
        return tag
    sha = git_short_sha(project_dir)
    if sha == NO_GIT:
        raise OpsError(f"{project_dir} is not a git repository: pass --tag or commit the project first")
    if git_is_dirty(project_dir) and not allow_dirty:
        raise OpsError(
            "the working tree has uncommitted changes: commit them, or pass --allow-dirty or --tag"
        )
    return f"git-{sha}"


def _docker(args: list[str], echo: Echo, stdin: str | None = None) -> None:
    echo(f"$ docker {' '.join(args)}")
    result = subprocess.run([docker_binary(), *args], input=stdin, text=True, check=False)
    if result.returncode != 0:
        raise OpsError(f"`docker {args[0]}` failed (exit {result.returncode})")


def build_images(ops: CloudOps, project_dir: Path, tag: str, names: tuple[str, ...], echo: Echo) -> list[str]:
    built = []
    for name in names:
        context = project_dir / name
        if not (context / "Dockerfile").is_file():
            raise OpsError(f"{context}/Dockerfile not found: run `mlgen generate` first")
        reference = f"{ops.repository_uri(name)}:{tag}"
        _docker(["build", "--pull", "-t", reference, str(context)], echo)
        built.append(reference)
    return built


def push_images(ops: CloudOps, tag: str, names: tuple[str, ...], echo: Echo) -> list[str]:
    registry, user, password = ops.registry_login()
    # The password goes through stdin, never the command line (ps and shell history would show it).
    _docker(["login", "--username", user, "--password-stdin", registry], echo, stdin=password)
    pushed = []
    for name in names:
        reference = f"{ops.repository_uri(name)}:{tag}"
        _docker(["push", reference], echo)
        pushed.append(reference)
    return pushed
