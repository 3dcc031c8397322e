"""Human-readable report: summary tables, then each failure and each suppression."""

from __future__ import annotations

from collections import Counter

from mlgen.policy.catalog import POLICY_BY_ID
from mlgen.policy.report import FAILED, PASSED, SKIPPED, CheckReport, Finding


def _row(name: str, counts: Counter[str], width: int) -> str:
    return f"  {name:<{width}} {counts[PASSED]:>7} {counts[FAILED]:>7} {counts[SKIPPED]:>8}"


def _location(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}" if finding.line else finding.file


def render_text(report: CheckReport) -> str:
    lines = [f"mlgen check: {report.project_dir}", ""]
    width = 16
    lines.append(f"  {'framework':<{width}} {'passed':>7} {'failed':>7} {'skipped':>8}")
    for framework, counts in report.counts_by_framework().items():
        lines.append(_row(framework, counts, width))
    lines.append("")
    lines.append(f"  {'mlgen policy':<{width}} {'passed':>7} {'failed':>7} {'skipped':>8}")
    for policy_id, counts in report.counts_by_policy().items():
        name = POLICY_BY_ID[policy_id].name if policy_id in POLICY_BY_ID else ""
        lines.append(_row(policy_id, counts, width) + f"  {name}")
    lines.append("")
    for step in report.steps:
        lines.append(f"  {step.name + ':':<{width}} {step.status} - {step.detail}")
        lines.extend(f"      {path}" for path in step.files)
    if report.notes:
        # what a policy cannot see in a cloud's Terraform: no result there is not a pass
        lines += ["", "Not covered by the ML policies"]
        for note in report.notes:
            lines.append(f"  {note.policy_id} on {note.cloud}: {note.note}")
    failures = report.failures
    lines += ["", f"Failures ({len(failures)})"]
    for finding in failures:
        lines.append(f"  {_location(finding)}  {finding.resource}  {finding.check_id}  {finding.check_name}")
        if finding.caller:
            lines.append(f"      via:  {finding.caller}")
        if finding.message:
            lines.append(f"      what: {finding.message}")
        if finding.fix:
            lines.append(f"      fix:  {finding.fix}")
    suppressions = report.suppressions
    lines += ["", f"Suppressions ({len(suppressions)})"]
    for finding in suppressions:
        lines.append(
            f"  {_location(finding)}  {finding.resource}  {finding.check_id}  [{finding.suppressed_by}]"
        )
        lines.append(f"      reason: {finding.reason}")
    failed_steps = report.failed_steps
    verdict = (
        "PASSED" if report.ok else f"FAILED ({len(failures)} check failure(s), {len(failed_steps)} step(s))"
    )
    lines += ["", f"Result: {verdict}", ""]
    return "\n".join(lines)
