"""Options and set-up shared by the ops commands (doctor, train, release, teardown, images)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from mlgen.ops import CloudOps, OpsContext


def env_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--env",
        "env_name",
        required=True,
        metavar="ENV",
        help="Environment of mlgen.yaml (dev, staging, prod).",
    )(function)


def project_dir_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--project-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The generated project (the directory with mlgen.yaml).",
    )(function)


def open_ops(project_dir: Path, env_name: str) -> tuple[OpsContext, CloudOps]:
    """Load the spec, pick the environment and create its cloud's ops adapter (SDK imported here)."""
    from mlgen.ops import get_ops
    from mlgen.ops.context import load_context

    context = load_context(project_dir, env_name)
    return context, get_ops(context)


def echo_err(message: str) -> None:
    """Progress goes to stderr so that stdout stays parseable (e.g. the job name of train submit)."""
    click.echo(message, err=True)
