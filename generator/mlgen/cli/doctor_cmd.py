"""`mlgen doctor`: is the account ready for this environment? One line per check."""

from __future__ import annotations

from pathlib import Path

import click

from mlgen.cli.ops_options import env_option, open_ops, project_dir_option

MARKS = {"ok": "ok  ", "fail": "FAIL", "skip": "skip"}


@click.command("doctor")
@env_option
@project_dir_option
def doctor(env_name: str, project_dir: Path) -> None:
    """Check that the cloud account is ready for ENV: credentials present, the caller's account is the
    environment's account, the region has the zones the network needs, the landing zone is applied (its
    job-defaults parameter is readable), service quotas for the training instance type and count and the
    endpoint instance types, the `project` cost-allocation tag is active, the GitHub OIDC provider exists.

    One line per check. `skip` means the check could not run here and says why.

    \b
    Exit status: 0 every check passed or was skipped, 1 any check failed, 2 usage error.
    Example:
      mlgen doctor --env dev
    """
    from mlgen.ops.errors import Quiet

    context, ops = open_ops(project_dir, env_name)
    click.echo(
        f"mlgen doctor: {context.project} {env_name} ({ops.cloud}, {context.env.region}, account {context.env.account_id})"
    )
    failed = 0
    for result in ops.doctor_checks():
        click.echo(f"  {MARKS[result.status]} {result.name:<20} {result.detail}")
        failed += result.status == "fail"
    if failed:
        click.echo(f"{failed} check(s) failed.")
        raise Quiet(1)
    click.echo("ready.")
