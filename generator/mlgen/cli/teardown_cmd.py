"""`mlgen teardown`: remove an environment and everything tagged with it, then prove nothing is left."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen.cli.ops_options import env_option, open_ops, project_dir_option


@click.command("teardown")
@env_option
@project_dir_option
@click.option("--dry-run", is_flag=True, help="List every step and what it would delete; change nothing.")
@click.option(
    "--include-state",
    is_flag=True,
    help="Also remove the state bucket and its key, last (state saved locally first).",
)
@click.option("--confirm", metavar="PROJECT", help="The project name, typed back: required for prod.")
@click.option(
    "--yes", "assume_yes", is_flag=True, help="Do not ask before destroying a non-prod environment."
)
@click.option(
    "--job-stop-timeout",
    type=click.FloatRange(0),
    default=3600,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for stopped training jobs to release their network interfaces.",
)
def teardown(
    env_name: str,
    project_dir: Path,
    dry_run: bool,
    include_state: bool,
    confirm: str | None,
    assume_yes: bool,
    job_stop_timeout: float,
) -> None:
    """Tear ENV down, in order: refuse prod without the typed project name (and any environment with
    deletion protection); back up the Terraform state; stop training jobs and wait until they have
    stopped; delete SageMaker endpoints, endpoint configs, models and model packages that jobs and MLflow
    made; empty every bucket (all versions and delete markers) and repository; terraform destroy; schedule
    the deletion of keys left (7 days outside prod); with --include-state remove the state store; sweep by
    tag and by listing each service, and print what is left.

    Only resources tagged with the project and the environment are touched.

    \b
    Exit status: 0 nothing left, 1 something is left or a step failed, 2 usage error,
                 3 confirmation missing or wrong, 4 deletion protection is on.
    Examples:
      mlgen teardown --env dev --dry-run
      mlgen teardown --env dev --yes
      mlgen teardown --env prod --confirm fraud-detect
    """
    from mlgen.ops.errors import Quiet
    from mlgen.ops.teardown import TeardownOptions, run_teardown

    options = TeardownOptions(
        dry_run=dry_run,
        include_state=include_state,
        confirm=confirm,
        assume_yes=assume_yes,
        job_stop_timeout_s=job_stop_timeout,
    )
    context, ops = open_ops(project_dir, env_name)
    left = run_teardown(ops, context, options, click.echo)
    if dry_run:
        click.echo("dry run: nothing was changed")
        return
    if left:
        click.echo(
            f"{len(left)} resource(s) of {context.env.prefix} are left (listed above): remove them or re-run"
        )
        raise Quiet(1)
    click.echo(f"{context.env.prefix}: nothing left")
