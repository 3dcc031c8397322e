"""`mlgen validate`: load the spec and report every problem, or a one-line summary."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen import SPEC_FILENAME


@click.command()
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(SPEC_FILENAME),
    show_default=True,
    help="The spec file to validate.",
)
def validate(spec_path: Path) -> None:
    """Validate mlgen.yaml and report every problem (file:line:column, field, what is allowed)."""
    from mlgen.pipeline import plan_spec
    from mlgen.spec import ENVIRONMENT_NAMES, load_spec

    spec = load_spec(spec_path)  # SpecError: Click prints every problem and exits with code 2
    plan_spec(spec)  # what the cloud cannot build is refused here too, exactly as generate refuses it
    names = [name for name in ENVIRONMENT_NAMES if name in spec.environments]
    plural = "s" if len(names) != 1 else ""
    click.echo(
        f"✓ {spec_path.name} is valid: {len(names)} environment{plural} ({', '.join(names)}) "
        f"on {spec.cloud}/{spec.region}"
    )
