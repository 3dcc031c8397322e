"""`mlgen blueprints list|show`: the preset specs that supply every default."""

from __future__ import annotations

import click


@click.group()
def blueprints() -> None:
    """List or show the preset specs (blueprints)."""


@blueprints.command("list")
def list_blueprints() -> None:
    """List the blueprints with a one-line summary each."""
    from mlgen.spec.blueprints import blueprint_names, blueprint_summary

    names = blueprint_names()
    width = max(len(name) for name in names)
    for name in names:
        click.echo(f"{name.ljust(width)}  {blueprint_summary(name)}")


@blueprints.command("show")
@click.argument("name")
def show_blueprint(name: str) -> None:
    """Show a blueprint: what it is for and every default it sets."""
    from mlgen.spec.blueprints import blueprint_source

    click.echo(blueprint_source(name), nl=False)
