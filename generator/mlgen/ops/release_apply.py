"""`mlgen release --apply`: plan the environment root with the new release file, confirm, apply that plan.

The plan is saved to a file and the apply takes that file, so what is applied is exactly what was shown.
"""

from __future__ import annotations

import sys

import click

from mlgen.ops import terraform
from mlgen.ops.base import Echo
from mlgen.ops.context import OpsContext
from mlgen.ops.errors import GuardRefused

PLAN_FILE = "release.tfplan"  # inside the root; removed after the apply or refusal


def confirm_release(context: OpsContext, assume_yes: bool, what: str = "this release") -> None:
    """Ask before changing what an environment serves; refuse (exit 3) where nobody can be asked."""
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise GuardRefused(
            f"refusing to apply {context.env.name} non-interactively without --yes; "
            "the release file is written (commit it, or re-run with --apply --yes)"
        )
    click.confirm(f"Apply {what} to {context.env.name} of {context.project}?", abort=True)


def apply_release(context: OpsContext, assume_yes: bool, echo: Echo) -> bool:
    """Plan, ask (unless ``assume_yes``), apply. False when the plan changes nothing."""
    root = context.root_dir
    if context.cdktf:
        # The stack takes the release file's values at synthesis: build it again before planning.
        echo(f"synthesizing the CDKTF app into {root.parent}")
        context.synthesize()
    plan_path = root / PLAN_FILE
    echo(f"terraform plan in {root} (reads the release file)")
    try:
        if not terraform.plan_to_file(root, PLAN_FILE):
            echo(f"no changes: {context.env.name} already serves this release")
            return False
        confirm_release(context, assume_yes, "this plan")
        echo(f"terraform apply in {root}")
        terraform.apply_plan_file(root, PLAN_FILE)
        echo(f"applied: {context.env.name} serves the release")
        return True
    finally:
        plan_path.unlink(missing_ok=True)
