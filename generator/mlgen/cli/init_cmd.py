"""`mlgen init`: scaffold a project (write mlgen.yaml) and generate it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from mlgen.assets import blueprint_names
from mlgen.clouds import CLOUDS

BLUEPRINTS = blueprint_names()


def project_name_from(directory: Path) -> str:
    """A valid project name derived from the directory name (lowercase, hyphens)."""
    name = re.sub(r"[^a-z0-9-]+", "-", directory.resolve().name.lower()).strip("-")
    return name or "ml-project"


def _ask(value: str | None, prompt: str, default: str, choices: tuple[str, ...] | None = None) -> str:
    # Prompt only for an interactive user; scripts and CI get the documented default.
    if value is not None:
        return value
    if sys.stdin.isatty():
        kind = click.Choice(choices) if choices else str
        return click.prompt(prompt, default=default, type=kind)
    return default


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--cloud", type=click.Choice(CLOUDS), help="Target cloud (default aws).")
@click.option("--blueprint", type=click.Choice(BLUEPRINTS), help="Preset of defaults (default starter).")
@click.option("--project", help="Project name used in resource names and tags (default: the directory name).")
@click.option("--region", help="Default region of every environment (default: us-east-1 on AWS).")
@click.option(
    "--owner", default="ml-platform@example.com", show_default=True, help="Owner tag; alerts go here."
)
@click.option("--cost-center", default="cc-0000", show_default=True, help="Cost-center tag.")
def init(
    directory: Path,
    cloud: str | None,
    blueprint: str | None,
    project: str | None,
    region: str | None,
    owner: str,
    cost_center: str,
) -> None:
    """Scaffold a new project in DIRECTORY: write mlgen.yaml and generate the repository from it.

    Fully non-interactive with flags; when stdin is a terminal it asks for the values you left out.

    \b
    Examples:
      mlgen init demo --cloud aws --blueprint starter
      mlgen init fraud --cloud aws --blueprint production --project fraud-detect --region eu-west-1
    """
    from mlgen.clouds import capabilities
    from mlgen.cost import estimate_plan
    from mlgen.cost.budget_check import budgets_that_fit
    from mlgen.pipeline import SPEC_FILENAME, plan_spec, render_plan
    from mlgen.spec import load_spec_text, render_initial_spec
    from mlgen.spec.layering import DEFAULT_BLUEPRINT
    from mlgen.writer import format_write_report, write_tree

    spec_path = directory / SPEC_FILENAME
    if spec_path.exists():
        raise click.ClickException(
            f"{spec_path} already exists: this is an mlgen project. Edit it and run "
            f"'mlgen generate --spec {spec_path}' instead."
        )
    cloud = _ask(cloud, "Cloud", CLOUDS[0], CLOUDS)
    blueprint = _ask(blueprint, "Blueprint", DEFAULT_BLUEPRINT, BLUEPRINTS)
    project = _ask(project, "Project name", project_name_from(directory))
    region = _ask(region, "Region", capabilities(cloud).default_region)

    text = render_initial_spec(project, cloud, region, blueprint, owner=owner, cost_center=cost_center)
    # Validate and render everything before touching the disk: a bad name or an unsupported cloud
    # leaves no half-made project behind.
    plan = plan_spec(load_spec_text(text, str(spec_path)))
    budgets = budgets_that_fit(estimate_plan(plan))
    if budgets:  # a new project must pass its own `mlgen check` (MLG009)
        text = render_initial_spec(
            project, cloud, region, blueprint, owner=owner, cost_center=cost_center, budgets=budgets
        )
        plan = plan_spec(load_spec_text(text, str(spec_path)))
    files = render_plan(plan)
    click.echo(f"Creating {directory} ({cloud}, {region}, blueprint {blueprint}) …", err=True)
    directory.mkdir(parents=True, exist_ok=True)
    spec_path.write_text(text, encoding="utf-8")
    report = write_tree(directory, files)
    click.echo(f"wrote {spec_path}")
    click.echo(format_write_report(report))
    click.echo(
        "\nNext steps:\n"
        f"  1. replace the placeholder account ids in {spec_path}, then: mlgen generate --spec {spec_path}\n"
        f"  2. cd {directory} && make bootstrap init plan ENV=dev\n"
        f"  3. read {directory / 'README.md'} for images, teardown and checks"
    )
