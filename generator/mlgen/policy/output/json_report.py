"""Machine-readable report (`--format json`): summary, failures, suppressions, steps."""

from __future__ import annotations

import json
from dataclasses import asdict

from mlgen import __version__
from mlgen.policy.report import CheckReport


def render_json(report: CheckReport) -> str:
    document = {
        "tool": {"name": "mlgen", "version": __version__},
        "ok": report.ok,
        "summary": {
            "frameworks": {name: dict(sorted(c.items())) for name, c in report.counts_by_framework().items()},
            "policies": {name: dict(sorted(c.items())) for name, c in report.counts_by_policy().items()},
            "steps": {step.name: step.status for step in report.steps},
        },
        "failures": [asdict(finding) for finding in report.failures],
        "suppressions": [asdict(finding) for finding in report.suppressions],
        "steps": [asdict(step) for step in report.steps],
        "not_covered": [asdict(note) for note in report.notes],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
