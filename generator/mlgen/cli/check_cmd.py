"""`mlgen check`: policy checks for a generated project (checkov + ML policies, drift, fmt).

Exit codes: 0 clean, 1 any failed check or step, 2 usage error (bad path, format, suppressions file).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

FORMAT_CHOICES = ("text", "json", "sarif", "junitxml")  # mirrors mlgen.policy.output.FORMATS


def checkov_available() -> bool:
    return importlib.util.find_spec("checkov") is not None


class ChecksFailed(click.ClickException):
    """Exit 1 without Click's "Error:" prefix: the report already said what failed."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


@click.command("check")
@click.argument(
    "path",
    default=".",
    type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path),
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES),
    default="text",
    show_default=True,
    help="Report format. sarif uploads to GitHub code scanning; junitxml suits CI test views.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the report to FILE instead of standard output (a one-line verdict goes to stderr).",
)
def check(path: Path, output_format: str, output: Path | None) -> None:
    """Run checkov (built-in checks plus mlgen's ML policies MLG001-MLG008) over the Terraform,
    Dockerfiles and CI workflows under PATH, MLG009 (idle cost against each budget, from mlgen.yaml),
    then the drift check and `terraform fmt -check`.

    Suppress a finding with an inline `#checkov:skip=<ID>:<reason>` comment or an entry with a
    reason in .mlgen/suppressions.yaml; every suppression is listed with its reason.

    Exit status: 0 clean, 1 any failed check or step, 2 usage error.
    """
    if not checkov_available():
        raise click.UsageError(
            'mlgen check runs checkov, which is not installed here: pip install "mlgen[check]"'
        )
    from mlgen.policy.output import render_report
    from mlgen.policy.runner import run_policy_checks
    from mlgen.policy.suppressions import SuppressionsError

    try:
        report = run_policy_checks(path)
    except SuppressionsError as error:
        raise click.UsageError(str(error)) from error
    if not report.findings and all(step.status == "skipped" for step in report.steps):
        raise click.UsageError(
            f"nothing to check under {path}: no Terraform, Dockerfiles or .github/workflows found. "
            "Run mlgen check in a generated project (or pass its directory)."
        )
    rendered = render_report(report, output_format)
    if output is None:
        click.echo(rendered, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(rendered, encoding="utf-8")
        verdict = "clean" if report.ok else f"{len(report.failures)} failure(s)"
        click.echo(f"mlgen check: {verdict}; {output_format} report written to {output}", err=True)
    if not report.ok:
        failed_steps = ", ".join(step.name for step in report.failed_steps)
        message = f"mlgen check failed: {len(report.failures)} check failure(s)"
        if failed_steps:
            message += f"; failed steps: {failed_steps}"
        raise ChecksFailed(message)
