"""Report formats: SARIF valid against the official 2.1.0 schema, JUnit XML in the shape CI tools read,
and byte-identical output for the same project."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest
from tests.policy.projects import PLANTED, SARIF_SCHEMA

from mlgen.policy.output import render_report
from mlgen.policy.report import CheckReport
from mlgen.policy.runner import run_policy_checks


@cache
def planted_report(project: Path) -> CheckReport:
    return run_policy_checks(project)


@pytest.fixture
def report(planted_project: Path) -> CheckReport:
    return planted_report(planted_project)


def test_sarif_validates_against_the_sarif_2_1_0_schema(report: CheckReport) -> None:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    document = json.loads(render_report(report, "sarif"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_carries_failures_as_errors_and_suppressions_with_justification(report: CheckReport) -> None:
    run = json.loads(render_report(report, "sarif"))["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    failing = [r for r in run["results"] if "suppressions" not in r]
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in failing
    } >= {(policy_id, file) for policy_id, file, _ in PLANTED}
    assert all(r["level"] == "error" and rule_ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in failing)
    assert suppressed and all(r["suppressions"][0]["justification"] for r in suppressed)


def test_sarif_of_a_failed_step_names_the_files(report: CheckReport) -> None:
    from mlgen.policy.report import FAILED, StepResult

    broken = CheckReport(
        project_dir=report.project_dir,
        findings=[],
        steps=[
            StepResult("terraform fmt", FAILED, "1 file(s) need `terraform fmt -recursive`", ("main.tf",))
        ],
    )
    run = json.loads(render_report(broken, "sarif"))["runs"][0]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
    ] == [("mlgen-fmt", "main.tf")]


def test_junit_xml_has_the_structure_ci_tools_read(report: CheckReport) -> None:
    root = ET.fromstring(render_report(report, "junitxml").encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert {suite.get("name") for suite in suites} == {
        "checkov.terraform",
        "checkov.dockerfile",
        "checkov.github_actions",
        "mlgen.steps",
    }
    total_failures = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        failures = sum(case.find("failure") is not None for case in cases)
        assert int(suite.get("failures")) == failures
        assert int(suite.get("skipped")) == sum(case.find("skipped") is not None for case in cases)
        assert all(case.get("classname") and case.get("name") for case in cases)
        total_failures += failures
    assert int(root.get("failures")) == total_failures == len(report.failures)
    failed_names = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert any(
        name.startswith("MLG003 module.serving.aws_appautoscaling_target.endpoint") for name in failed_names
    )


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "junitxml"])
def test_same_project_same_bytes(planted_project: Path, output_format: str) -> None:
    first = render_report(run_policy_checks(planted_project), output_format)
    second = render_report(run_policy_checks(planted_project), output_format)
    assert first == second
