"""`mlgen teardown`: the order and the guards, the same for every cloud (the adapter does each step).

Order: refuse a protected environment without the typed project name; back up the state; stop training jobs
and wait until they are stopped (their network interfaces block subnet deletion); delete what jobs and MLflow
made outside Terraform; empty every bucket (all versions and delete markers) and repository of the
environment; terraform destroy; schedule the deletion of keys left; optionally remove the state store; then
sweep by tag and by listing each service and report what is left (exit 1 if anything is).

Only resources tagged with the project and the environment are touched.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from mlgen.ops import terraform
from mlgen.ops.base import CloudOps, Echo, Resource
from mlgen.ops.context import OpsContext
from mlgen.ops.errors import GuardRefused, ProtectedEnvironment

STEPS = 8


@dataclass(frozen=True)
class TeardownOptions:
    dry_run: bool = False
    include_state: bool = False
    confirm: str | None = None
    assume_yes: bool = False
    job_stop_timeout_s: float = 3600


def check_guards(context: OpsContext, options: TeardownOptions) -> None:
    env, project = context.env, context.project
    if options.dry_run:
        return
    if env.deletion_protection:
        raise ProtectedEnvironment(
            f"deletion protection is on for {env.name}: its buckets, keys and repositories carry "
            "lifecycle.prevent_destroy, so a teardown would stop half-way. Set "
            f"environments.{env.name}.deletion_protection: false in mlgen.yaml, run `mlgen generate` and apply "
            "both the environment's bootstrap root and its root (the bootstrap holds the state's own locks; see "
            "docs/operations.md, 'Protected environments'). Nothing was deleted."
        )
    if context.protected:
        confirm = options.confirm
        if confirm is None and sys.stdin.isatty():
            confirm = click.prompt(
                f"This destroys {env.name} of {project}. Type the project name to continue"
            )
        if confirm is None:
            raise GuardRefused(
                f"refusing to destroy {env.name} without confirmation; re-run with --confirm {project}"
            )
        if confirm != project:
            raise GuardRefused(f"{confirm!r} is not the project name {project!r}; nothing was destroyed")
    elif not options.assume_yes:
        if not sys.stdin.isatty():
            raise GuardRefused(f"refusing to destroy {env.name} non-interactively without --yes")
        click.confirm(f"Destroy {env.name} of {project} and everything tagged with it?", abort=True)


def run_teardown(ops: CloudOps, context: OpsContext, options: TeardownOptions, echo: Echo) -> list[Resource]:
    """Run every step (or list them, with dry_run); return what the final sweep found left."""
    check_guards(context, options)
    dry = options.dry_run
    mode = "dry run: nothing is changed" if dry else "destroying"
    echo(f"Teardown of {context.env.name} ({context.project}, {ops.cloud}, {context.env.region}) — {mode}")

    def step(number: int, title: str) -> None:
        echo(f"==> [{number}/{STEPS}] {title}")

    step(1, "back up the Terraform state")
    if context.cdktf:
        # Terraform runs in the synthesized stacks: build them from the committed app first.
        echo(
            f"    {'would synthesize' if dry else 'synthesizing'} the CDKTF app into {context.root_dir.parent}"
        )
        if not dry:
            context.synthesize()
    if dry:
        echo(f"    would save `terraform state pull` of {context.root_dir} to {context.backups_dir}/")
    else:
        terraform.backup_state(context.root_dir, context.backups_dir, echo)

    step(2, "stop training jobs and wait until they have stopped")
    jobs = ops.running_jobs()
    if not jobs:
        echo("    none running")
    ops.stop_jobs_and_wait(jobs, dry, echo, options.job_stop_timeout_s)

    step(3, "delete what jobs and MLflow made outside Terraform")
    _none_if_empty(ops.delete_out_of_band(dry, echo), echo)

    step(4, "empty buckets (every version and delete marker) and repositories")
    _none_if_empty(ops.empty_stores(dry, echo), echo)

    step(5, "terraform destroy")
    if dry:
        echo(f"    would run `terraform destroy` in {context.root_dir}")
    else:
        terraform.destroy(context.root_dir)

    step(6, "schedule the deletion of keys that are left")
    _none_if_empty(ops.schedule_key_deletion(dry, echo), echo)

    step(7, "state store (bootstrap root)")
    kept = ops.state_resources()
    if options.include_state:
        _none_if_empty(ops.empty_state_store(dry, echo), echo)
        if dry:
            echo(f"    would run `terraform destroy` in {context.bootstrap_dir}")
        else:
            terraform.destroy(context.bootstrap_dir)
        kept = []
    else:
        for item in kept:
            echo(f"    kept: {item} (pass --include-state to remove it, last)")

    step(8, "sweep: what of the environment is left")
    left = [item for item in ops.leftovers() if item not in kept]
    # A dry run deleted nothing, so its sweep shows what exists today, not what a teardown would leave.
    label = "present" if dry else "left"
    for item in left:
        echo(f"    {label}: {item}")
    if not left:
        echo("    nothing left")
    return left


def _none_if_empty(items: list[Resource], echo: Echo) -> None:
    if not items:
        echo("    nothing to do")
