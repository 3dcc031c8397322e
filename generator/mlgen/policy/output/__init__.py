"""Renderers for a :class:`~mlgen.policy.report.CheckReport`: text, json, sarif, junitxml.

Each takes the report and returns a string; same report, same bytes (sorted, no timestamps).
"""

from __future__ import annotations

from collections.abc import Callable

from mlgen.policy.report import CheckReport

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "junitxml")


def render_report(report: CheckReport, output_format: str) -> str:
    renderer = _renderer(output_format)
    return renderer(report)


def _renderer(output_format: str) -> Callable[[CheckReport], str]:
    if output_format == "text":
        from mlgen.policy.output.text import render_text

        return render_text
    if output_format == "json":
        from mlgen.policy.output.json_report import render_json

        return render_json
    if output_format == "sarif":
        from mlgen.policy.output.sarif import render_sarif

        return render_sarif
    if output_format == "junitxml":
        from mlgen.policy.output.junit import render_junit

        return render_junit
    raise ValueError(f"unknown format {output_format!r}; expected one of {', '.join(FORMATS)}")
