"""JUnit XML (`--format junitxml`) for CI test-report views.

<testsuites> holds one <testsuite> per checkov framework plus one for the whole-project steps; every
check result is a <testcase> (classname = framework.check id, name = resource), with <failure> or
<skipped message="reason"> as its outcome.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from mlgen.policy.report import FAILED, FRAMEWORKS, SKIPPED, CheckReport, Finding


def _testcase(suite: ET.Element, finding: Finding) -> None:
    location = f"{finding.file}:{finding.line}" if finding.line else finding.file
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": f"{finding.framework}.{finding.check_id}",
            "name": f"{finding.check_id} {finding.resource} ({location})",
            "file": finding.file,
            "line": str(finding.line),
            "time": "0",
        },
    )
    if finding.status == FAILED:
        failure = ET.SubElement(
            case, "failure", {"message": finding.message or finding.check_name, "type": finding.check_id}
        )
        failure.text = "\n".join(
            part
            for part in (
                f"{location} {finding.resource}",
                finding.check_name,
                f"via {finding.caller}" if finding.caller else "",
                f"fix: {finding.fix}" if finding.fix else "",
            )
            if part
        )
    elif finding.status == SKIPPED:
        ET.SubElement(case, "skipped", {"message": f"suppressed ({finding.suppressed_by}): {finding.reason}"})


def render_junit(report: CheckReport) -> str:
    by_framework: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_framework[finding.framework].append(finding)
    root = ET.Element("testsuites", {"name": "mlgen check"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for framework in sorted(set(FRAMEWORKS) | set(by_framework)):
        findings = by_framework.get(framework, [])
        counts = {
            "tests": len(findings),
            "failures": sum(f.status == FAILED for f in findings),
            "skipped": sum(f.status == SKIPPED for f in findings),
        }
        suite = ET.SubElement(
            root, "testsuite", {"name": f"checkov.{framework}", "errors": "0", "time": "0", **_str(counts)}
        )
        for finding in findings:
            _testcase(suite, finding)
        for key in totals:
            totals[key] += counts[key]
    steps = ET.SubElement(root, "testsuite", {"name": "mlgen.steps", "errors": "0", "time": "0"})
    step_counts = {"tests": len(report.steps), "failures": 0, "skipped": 0}
    for step in report.steps:
        case = ET.SubElement(steps, "testcase", {"classname": "mlgen.steps", "name": step.name, "time": "0"})
        if step.status == FAILED:
            step_counts["failures"] += 1
            failure = ET.SubElement(case, "failure", {"message": step.detail, "type": step.name})
            failure.text = "\n".join(step.files) or step.detail
        elif step.status == SKIPPED:
            step_counts["skipped"] += 1
            ET.SubElement(case, "skipped", {"message": step.detail})
    for key, value in _str(step_counts).items():
        steps.set(key, value)
    for key in totals:
        totals[key] += step_counts[key]
    for key, value in _str(totals).items():
        root.set(key, value)
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _str(counts: dict[str, int]) -> dict[str, str]:
    return {key: str(value) for key, value in counts.items()}
