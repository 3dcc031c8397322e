"""`mlgen cost`: the monthly cost of each environment, idle and under a usage scenario, offline."""

from __future__ import annotations

from pathlib import Path

import click

FORMAT_CHOICES = ("text", "markdown", "json")  # mirrors mlgen.cost.render.FORMATS


@click.command("cost")
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("mlgen.yaml"),
    show_default=True,
    help="The spec to estimate.",
)
@click.option("--env", "environments", multiple=True, help="Only this environment (repeatable).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES),
    default="text",
    show_default=True,
    help="markdown suits pull requests and job summaries; json suits tools.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="YAML file overriding the usage scenario (training runs, endpoint load, storage GB; see docs/cost.md).",
)
@click.option(
    "--compare",
    "baseline_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A second spec (e.g. the base branch's mlgen.yaml): markdown shows the idle change against it.",
)
def cost(
    spec_path: Path,
    environments: tuple[str, ...],
    output_format: str,
    scenario_path: Path | None,
    baseline_path: Path | None,
) -> None:
    """Estimate each environment's monthly cost from the spec, offline: what bills idle (NAT, private
    endpoints, tracking server, endpoints at min replicas, keys, logs) and what a usage scenario adds
    (training hours, endpoint load, storage). Every line shows quantity, unit price, monthly total and
    the price's source and date; anything without a price is listed as "not priced", never as zero.
    """
    from datetime import UTC, datetime

    from mlgen.clouds import AdapterError, UnsupportedCloudError
    from mlgen.cost import estimate_plan, load_scenario
    from mlgen.cost.render import render_estimate
    from mlgen.pipeline import GenerationError
    from mlgen.plan import load_plan

    scenario = load_scenario(scenario_path)
    try:
        plan = load_plan(spec_path)  # SpecError: Click prints every problem and exits with code 2
    except UnsupportedCloudError as error:
        # Costs come from the adapter's resources: a cloud without an adapter has nothing to price yet.
        raise GenerationError(f"no cost estimate: {error}") from error
    unknown = [name for name in environments if name not in plan.environments]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)} not in {spec_path} (environments: {', '.join(plan.environments)})",
            param_hint="--env",
        )
    today = datetime.now(UTC).date()
    selected = list(environments) or None
    try:
        estimate = estimate_plan(plan, scenario, environments=selected, today=today)
        baseline = None
        if baseline_path is not None:
            baseline = estimate_plan(load_plan(baseline_path), scenario, environments=selected, today=today)
    except AdapterError as error:
        raise GenerationError(str(error)) from error
    click.echo(render_estimate(estimate, output_format, baseline), nl=False)
