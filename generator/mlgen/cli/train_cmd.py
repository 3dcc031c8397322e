"""`mlgen train submit|list|status|logs|stop`: training jobs in the environment's landing zone."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen.cli.ops_options import echo_err, env_option, open_ops, project_dir_option


@click.group("train")
def train() -> None:
    """Submit and follow training jobs that run in the landing zone (its VPC, keys, role and images).

    \b
    Examples:
      mlgen train submit --env dev --hp epochs=3 --wait
      mlgen train list --env dev
      mlgen train logs --env dev JOB_NAME --follow
      mlgen train stop --env dev JOB_NAME
    """


def _detach_hint(env_name: str, job_name: str) -> str:
    return (
        f"detached; {job_name} keeps running. Follow it with `mlgen train logs --env {env_name} {job_name} "
        f"--follow`, stop it with `mlgen train stop --env {env_name} {job_name}`"
    )


@train.command("submit")
@env_option
@project_dir_option
@click.option("--instance-type", help="Override the landing zone's instance type (e.g. ml.g5.xlarge).")
@click.option(
    "--instance-count", type=click.IntRange(1, 64), help="Nodes for this job (distributed data parallel)."
)
@click.option(
    "--spot/--on-demand",
    default=None,
    help="Managed spot (resumes from checkpoints) or on-demand; default: the spec's.",
)
@click.option(
    "--max-runtime",
    "max_runtime_hours",
    type=click.FloatRange(0.01, 672),
    metavar="HOURS",
    help="Hard stop in hours.",
)
@click.option("--hp", "hyperparameters", multiple=True, metavar="KEY=VALUE", help="Hyperparameter (repeat).")
@click.option(
    "--image-tag", help="Tag of the training image in the training repository (default: the landing zone's)."
)
@click.option("--dataset-version", help="Recorded with the run (MLGEN_DATASET_VERSION) for lineage.")
@click.option("--wait", is_flag=True, help="Follow the job: status transitions, billable seconds, log lines.")
@click.option("--dry-run", is_flag=True, help="Print the request as JSON and submit nothing.")
def submit(
    env_name: str,
    project_dir: Path,
    instance_type: str | None,
    instance_count: int | None,
    spot: bool | None,
    max_runtime_hours: float | None,
    hyperparameters: tuple[str, ...],
    image_tag: str | None,
    dataset_version: str | None,
    wait: bool,
    dry_run: bool,
) -> None:
    """Submit a training job built from the landing zone's job defaults (the parameter the landing zone
    writes) plus these overrides. The job is named <project>-<env>-<yyyymmdd-hhmmss>-<git sha>; its name is
    printed on stdout. With --wait, Ctrl-C detaches without stopping the job.

    Exit status: 0 submitted (with --wait: completed), 1 cloud error or failed job, 2 usage error.
    """
    import json

    from mlgen.ops.base import TrainingOverrides
    from mlgen.ops.errors import Quiet
    from mlgen.ops.follow import follow_job
    from mlgen.ops.naming import git_short_sha, job_name, parse_key_values

    overrides = TrainingOverrides(
        instance_type=instance_type,
        instance_count=instance_count,
        spot=spot,
        max_runtime_hours=max_runtime_hours,
        hyperparameters=parse_key_values(hyperparameters, "--hp"),
        image_tag=image_tag,
        dataset_version=dataset_version,
    )
    context, ops = open_ops(project_dir, env_name)
    sha = git_short_sha(project_dir)
    name = job_name(context.env.prefix, sha)
    if dry_run:
        click.echo(json.dumps(ops.training_request(overrides, name, sha), indent=2, sort_keys=True))
        return
    request = ops.submit_training(overrides, name, sha)
    echo_err(f"submitted {name}: {ops.submission_summary(request)}")
    click.echo(name)
    if not wait:
        return
    try:
        status = follow_job(ops, name, echo_err)
    except KeyboardInterrupt:
        echo_err(_detach_hint(env_name, name))
        return
    if status.status != "Completed":
        raise Quiet(1)


@train.command("list")
@env_option
@project_dir_option
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
def list_jobs(env_name: str, project_dir: Path, limit: int) -> None:
    """List the environment's training jobs, newest first."""
    _, ops = open_ops(project_dir, env_name)
    jobs = ops.list_jobs(limit)
    if not jobs:
        click.echo(f"no training jobs of {env_name} yet (mlgen train submit --env {env_name})")
    for job in jobs:
        click.echo(f"{job.name}  {job.status:<11} {job.secondary_status:<20} {job.created}")


@train.command("status")
@env_option
@project_dir_option
@click.argument("job_name")
def status(env_name: str, project_dir: Path, job_name: str) -> None:
    """Show one job's status, secondary status and billable seconds (exit 1 if it failed)."""
    from mlgen.ops.errors import Quiet

    _, ops = open_ops(project_dir, env_name)
    job = ops.job_status(job_name)
    click.echo(f"{job.name}: {job.status} / {job.secondary_status}")
    if job.billable_seconds is not None:
        click.echo(f"billable seconds: {job.billable_seconds}")
    if job.failure_reason:
        click.echo(f"failure reason: {job.failure_reason}")
    if job.status == "Failed":
        raise Quiet(1)


@train.command("logs")
@env_option
@project_dir_option
@click.argument("job_name")
@click.option("--follow", is_flag=True, help="Keep printing new lines until the job ends (Ctrl-C detaches).")
def logs(env_name: str, project_dir: Path, job_name: str, follow: bool) -> None:
    """Print the job's log lines (every node's stream)."""
    from mlgen.ops.follow import follow_job

    _, ops = open_ops(project_dir, env_name)
    if not follow:
        for line in ops.job_log_lines(job_name, {}):
            click.echo(line)
        return
    try:
        follow_job(ops, job_name, click.echo)
    except KeyboardInterrupt:
        echo_err(_detach_hint(env_name, job_name))


@train.command("stop")
@env_option
@project_dir_option
@click.argument("job_name")
def stop(env_name: str, project_dir: Path, job_name: str) -> None:
    """Stop a running job (a spot job's last checkpoint stays in S3)."""
    context, ops = open_ops(project_dir, env_name)
    if not job_name.startswith(f"{context.env.prefix}-"):
        raise click.BadParameter(f"{job_name} is not a job of {context.env.prefix}", param_hint="JOB_NAME")
    ops.stop_job(job_name)
    click.echo(f"stopping {job_name}")
