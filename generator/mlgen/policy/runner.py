"""`mlgen check` as a library call: scan a project and return one report."""

from __future__ import annotations

from pathlib import Path

from mlgen.policy.report import CheckReport


def run_policy_checks(project_dir: Path, *, with_steps: bool = True) -> CheckReport:
    """checkov (built-in + ML policies) over Terraform, Dockerfiles and workflows, MLG009 (idle cost against
    budget, from mlgen.yaml); then drift and fmt.

    Raises :class:`mlgen.policy.suppressions.SuppressionsError` for a malformed suppressions file
    (before any scanning, so the user hears about it at once).
    """
    from mlgen.policy.checkov_scan import scan_with_checkov
    from mlgen.policy.idle_cost import idle_cost_findings
    from mlgen.policy.steps import run_drift_step, run_fmt_step
    from mlgen.policy.suppressions import apply_suppressions, load_suppressions

    project_dir = project_dir.resolve()
    suppressions = load_suppressions(project_dir)
    findings = apply_suppressions(
        [*scan_with_checkov(project_dir), *idle_cost_findings(project_dir)], suppressions
    )
    report = CheckReport(project_dir=str(project_dir), findings=findings)
    if with_steps:
        report.steps = [run_drift_step(project_dir), run_fmt_step(project_dir)]
    report.sort()
    return report
