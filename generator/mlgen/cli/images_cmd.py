"""`mlgen images build|push`: the training and serving images, tagged from the git commit."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen.cli.ops_options import echo_err, env_option, open_ops, project_dir_option

NAMES = ("training", "serving")


def _image_options(function):
    function = click.option("--tag", help="Image tag (default: git-<short sha> of HEAD).")(function)
    function = click.option("--allow-dirty", is_flag=True, help="Allow a tree with uncommitted changes.")(
        function
    )
    function = click.option(
        "--only", type=click.Choice(NAMES), multiple=True, help="Only this image (repeatable; default both)."
    )(function)
    return project_dir_option(env_option(function))


@click.group("images")
def images() -> None:
    """Build and push the project's training/ and serving/ images to the environment's registry.

    \b
    Examples:
      mlgen images build --env dev
      mlgen images push --env dev          # logs in to the registry through the SDK, then pushes
    """


@images.command("build")
@_image_options
def build(
    env_name: str, project_dir: Path, tag: str | None, allow_dirty: bool, only: tuple[str, ...]
) -> None:
    """docker build training/ and serving/ tagged <registry>/<project>-<env>/<name>:<tag>."""
    from mlgen.ops.images import build_images, image_tag

    resolved = image_tag(project_dir, tag, allow_dirty)
    _, ops = open_ops(project_dir, env_name)
    for reference in build_images(ops, project_dir, resolved, only or NAMES, echo_err):
        click.echo(reference)


@images.command("push")
@_image_options
def push(env_name: str, project_dir: Path, tag: str | None, allow_dirty: bool, only: tuple[str, ...]) -> None:
    """Log in to the registry and push the images built with the same tag (tags are immutable)."""
    from mlgen.ops.images import image_tag, push_images

    resolved = image_tag(project_dir, tag, allow_dirty)
    _, ops = open_ops(project_dir, env_name)
    for reference in push_images(ops, resolved, only or NAMES, echo_err):
        click.echo(reference)
