"""`mlgen check` as a library call: scan a project and return one report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mlgen.policy.report import FAILED, CheckReport


def run_policy_checks(project_dir: Path, *, with_steps: bool = True) -> CheckReport:
    """checkov (built-in + ML policies) over Terraform, Dockerfiles and workflows, MLG009 (idle cost against
    budget, from mlgen.yaml); then drift and fmt.

    Raises :class:`mlgen.policy.suppressions.SuppressionsError` for a malformed suppressions file
    (before any scanning, so the user hears about it at once).
    """
    from mlgen.policy.cdktf_project import is_cdktf_project
    from mlgen.policy.checkov_scan import scan_with_checkov
    from mlgen.policy.coverage import coverage_notes
    from mlgen.policy.idle_cost import idle_cost_findings
    from mlgen.policy.steps import run_drift_step, run_fmt_step
    from mlgen.policy.suppressions import apply_suppressions, load_suppressions

    project_dir = project_dir.resolve()
    suppressions = load_suppressions(project_dir)
    if is_cdktf_project(project_dir):
        return _check_cdktf_project(project_dir, suppressions, with_steps)
    findings = apply_suppressions(
        [*scan_with_checkov(project_dir), *idle_cost_findings(project_dir)], suppressions
    )
    report = CheckReport(project_dir=str(project_dir), findings=findings, notes=coverage_notes(findings))
    if with_steps:
        report.steps = [run_drift_step(project_dir), run_fmt_step(project_dir)]
    report.sort()
    return report


def _check_cdktf_project(project_dir: Path, suppressions: Any, with_steps: bool) -> CheckReport:
    """Synthesize the app, then run the same checks on a copy holding the stacks as HCL roots."""
    import tempfile

    from mlgen.policy.cdktf_project import prepare_scan_copy
    from mlgen.policy.checkov_scan import scan_with_checkov
    from mlgen.policy.coverage import coverage_notes
    from mlgen.policy.idle_cost import idle_cost_findings
    from mlgen.policy.steps import run_drift_step, run_fmt_step
    from mlgen.policy.suppressions import apply_suppressions

    with tempfile.TemporaryDirectory(prefix="mlgen-cdktf-check-") as scratch:
        scan_dir = Path(scratch) / project_dir.name
        synth = prepare_scan_copy(project_dir, scan_dir)
        # MLG009 reads mlgen.yaml, which the project (not the scan copy) holds.
        scanned = [] if synth.status == FAILED else scan_with_checkov(scan_dir)
        findings = apply_suppressions([*scanned, *idle_cost_findings(project_dir)], suppressions)
        report = CheckReport(
            project_dir=str(project_dir), findings=findings, steps=[synth], notes=coverage_notes(findings)
        )
        if with_steps:
            report.steps.append(run_drift_step(project_dir))
            if synth.status != FAILED:
                report.steps.append(run_fmt_step(scan_dir))
    report.sort()
    return report
