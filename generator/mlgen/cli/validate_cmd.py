"""`mlgen validate`: load the spec and report every problem, or a one-line summary."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("mlgen.yaml"),
    show_default=True,
    help="The spec file to validate.",
)
def validate(spec_path: Path) -> None:
    """Validate mlgen.yaml and report every problem (file:line:column, field, what is allowed)."""
    from mlgen.spec import load_spec

    spec = load_spec(spec_path)
    names = list(spec.environments)
    from mlgen.spec.models import ENVIRONMENT_NAMES

    ordered = [name for name in ENVIRONMENT_NAMES if name in names]
    count = len(ordered)
    click.echo(
        f"✓ {spec_path.name} is valid: {count} environment{'s' if count != 1 else ''} "
        f"({', '.join(ordered)}) on {spec.cloud}/{spec.region}"
    )
