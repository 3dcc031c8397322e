"""SARIF 2.1.0 (`--format sarif`) for GitHub code scanning and other SARIF viewers.

Failures are results at level "error"; suppressed findings are results carrying a ``suppressions``
entry with the reason (code scanning shows them as dismissed); failed drift/fmt steps are results of
the rules ``mlgen-drift`` / ``mlgen-fmt``, one per file.
"""

from __future__ import annotations

import json
from typing import Any

from mlgen import __version__
from mlgen.policy.catalog import POLICY_BY_ID
from mlgen.policy.report import FAILED, CheckReport, Finding

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
STEP_RULES = {
    "drift": (
        "mlgen-drift",
        "Generated files match mlgen.yaml",
        "Run `mlgen generate` and commit the result.",
    ),
    "terraform fmt": ("mlgen-fmt", "Terraform files are formatted", "Run `terraform fmt -recursive`."),
}


def _rule(finding: Finding) -> dict[str, Any]:
    policy = POLICY_BY_ID.get(finding.check_id)
    name = policy.name if policy else finding.check_name or finding.check_id
    rule: dict[str, Any] = {
        "id": finding.check_id,
        "name": finding.check_id,
        "shortDescription": {"text": name},
        "fullDescription": {"text": policy.why if policy else name},
        "help": {"text": finding.fix or name},
        "properties": {"framework": finding.framework},
    }
    if finding.fix.startswith("see http"):
        rule["helpUri"] = finding.fix.removeprefix("see ")
    return rule


def _location(uri: str, line: int = 0, end_line: int = 0) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
    if line > 0:
        physical["region"] = {"startLine": line, "endLine": max(line, end_line)}
    return {"physicalLocation": physical}


def _result(finding: Finding) -> dict[str, Any]:
    text = f"{finding.resource}: {finding.check_name}"
    if finding.message:
        text += f" ({finding.message})"
    if finding.caller:
        text += f" [via {finding.caller}]"
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "level": "error",
        "message": {"text": text},
        "locations": [_location(finding.file, finding.line, finding.end_line)],
        "partialFingerprints": {"mlgenFinding/v1": f"{finding.check_id}:{finding.file}:{finding.resource}"},
    }
    if finding.status != FAILED:
        kind = "inSource" if finding.suppressed_by == "inline" else "external"
        result["suppressions"] = [{"kind": kind, "status": "accepted", "justification": finding.reason}]
    return result


def render_sarif(report: CheckReport) -> str:
    reported = report.failures + report.suppressions
    rules: dict[str, dict[str, Any]] = {}
    for finding in reported:
        rules.setdefault(finding.check_id, _rule(finding))
    results = [_result(finding) for finding in reported]
    for step in report.failed_steps:
        rule_id, name, fix = STEP_RULES.get(step.name, (f"mlgen-{step.name}", step.name, step.detail))
        rules.setdefault(
            rule_id,
            {"id": rule_id, "name": rule_id, "shortDescription": {"text": name}, "help": {"text": fix}},
        )
        locations = [_location(path) for path in step.files] or [_location(".")]
        for location in locations:
            results.append(
                {
                    "ruleId": rule_id,
                    "level": "error",
                    "message": {"text": step.detail},
                    "locations": [location],
                }
            )
    ordered_rules = [rules[rule_id] for rule_id in sorted(rules)]
    rule_index = {rule["id"]: index for index, rule in enumerate(ordered_rules)}
    for result in results:
        result["ruleIndex"] = rule_index[result["ruleId"]]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlgen",
                        "version": __version__,
                        "informationUri": "https://github.com/mlgen/mlgen",
                        "rules": ordered_rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the checked project"}}},
                "results": results,
                "columnKind": "utf16CodeUnits",
            }
        ],
    }
    if report.notes:
        # What a policy cannot see in a cloud's Terraform: notes, not results (nothing in the code is wrong).
        document["runs"][0]["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {
                        "level": "note",
                        "descriptor": {"id": note.policy_id},
                        "message": {"text": f"not covered on {note.cloud}: {note.note}"},
                    }
                    for note in report.notes
                ],
            }
        ]
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
