"""`mlgen generate`: regenerate a project from its spec, or check it for drift (--check)."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen import SPEC_FILENAME


@click.command()
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(SPEC_FILENAME),
    show_default=True,
    help="The project spec; the project is generated in the spec's directory.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that differ (for CI).")
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite files you edited since mlgen wrote them (and remove edited stale files).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["hcl", "cdktf"]),
    default=None,
    help="Write the landing zone as Terraform HCL roots or as a CDKTF Python app "
    "(default: the spec's format field, hcl unless set). Set format in mlgen.yaml to keep it.",
)
def generate(spec_path: Path, check: bool, force: bool, output_format: str | None) -> None:
    """Regenerate the project from mlgen.yaml.

    Files you edited by hand are never overwritten: they are reported and left alone unless --force.
    Files mlgen wrote earlier that the spec no longer produces are removed (if unedited).

    \b
    Examples:
      mlgen generate                     # regenerate in the current directory
      mlgen generate --check             # CI drift check: exit 1 when the tree differs from the spec
      mlgen generate --spec demo/mlgen.yaml --force
      mlgen generate --format cdktf      # the landing zone as a CDKTF app (see docs/cdktf.md)
    """
    from mlgen.pipeline import check_project, generate_project
    from mlgen.writer import format_drift_report, format_write_report

    if check and force:
        raise click.UsageError("--check writes nothing, so --force has no meaning with it")
    project_dir = spec_path.parent
    if check:
        drift = check_project(project_dir, spec_path=spec_path, output_format=output_format)
        if drift.clean:
            click.echo(f"✓ {project_dir} matches {spec_path.name}")
            return
        click.echo(format_drift_report(drift))
        click.echo(
            "Run 'mlgen generate' to bring the tree in line with the spec (edited files need --force)."
        )
        raise SystemExit(1)
    click.echo(f"Generating {project_dir} from {spec_path.name} …", err=True)
    report = generate_project(project_dir, spec_path=spec_path, force=force, output_format=output_format)
    click.echo(format_write_report(report))
