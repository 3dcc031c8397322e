"""`mlgen check` through the real CLI: exit codes, reported failures, suppressions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.policy.projects import PLANTED, replace_once

from mlgen.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_check(*args: str) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr)."""
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def json_report(project: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", str(project), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_clean_project_exits_zero_and_scans_all_three_frameworks(clean_project: Path) -> None:
    code, report = json_report(clean_project)
    assert code == 0, report["failures"]
    assert report["ok"] is True
    frameworks = report["summary"]["frameworks"]
    for framework in ("terraform", "dockerfile", "github_actions"):
        assert frameworks[framework].get("passed", 0) > 0, framework
    # MLG009 estimates mlgen.yaml, which this hand-made project has none of (tests/cost covers it).
    policies = {name: counts for name, counts in report["summary"]["policies"].items() if name != "MLG009"}
    assert all(counts.get("passed", 0) > 0 for counts in policies.values())


def test_planted_violations_exit_one_and_are_exactly_what_is_reported(planted_project: Path) -> None:
    code, report = json_report(planted_project)
    assert code == 1
    mlgen_failures = {
        (f["check_id"], f["file"], f["resource"])
        for f in report["failures"]
        if f["check_id"].startswith("MLG")
    }
    assert mlgen_failures == PLANTED
    # checkov's built-in checks may also object, but only to the planted resources
    planted_resources = {(file, resource) for _, file, resource in PLANTED}
    assert {(f["file"], f["resource"]) for f in report["failures"]} <= planted_resources


def test_text_report_gives_location_resource_id_and_fix_for_each_failure(planted_project: Path) -> None:
    code, output = run_check(str(planted_project))
    assert code == 1
    assert (
        "modules/aws/serving/main.tf:29  module.serving.aws_appautoscaling_target.endpoint  MLG003" in output
    )
    assert "max_capacity = 100000" in output
    assert "fix:  Set the autoscaling maximum" in output
    assert "Result: FAILED" in output


def test_every_suppression_is_listed_with_its_reason(clean_project: Path) -> None:
    code, report = json_report(clean_project)
    assert code == 0
    reasons = {(s["check_id"], s["resource"]): s["reason"] for s in report["suppressions"]}
    assert reasons[("CKV_AWS_144", "module.storage.aws_s3_bucket.data")].startswith(
        "Cross-region replication"
    )
    assert all(s["suppressed_by"] == "inline" for s in report["suppressions"])


def test_suppressions_file_turns_a_failure_into_a_reasoned_skip(planted_project: Path) -> None:
    (planted_project / ".mlgen").mkdir()
    (planted_project / ".mlgen/suppressions.yaml").write_text(
        "suppressions:\n"
        "  - id: MLG003\n"
        "    resource: '*serving*'\n"
        "    reason: load test this week, approved in TICKET-7\n",
        encoding="utf-8",
    )
    _, report = json_report(planted_project)
    assert "MLG003" not in {f["check_id"] for f in report["failures"]}
    skipped = [s for s in report["suppressions"] if s["check_id"] == "MLG003"]
    assert {s["resource"] for s in skipped} == {
        "serving",
        "module.serving.aws_appautoscaling_target.endpoint",
    }
    assert {(s["reason"], s["suppressed_by"]) for s in skipped} == {
        ("load test this week, approved in TICKET-7", ".mlgen/suppressions.yaml")
    }


def test_suppression_without_reason_is_a_usage_error(clean_project: Path) -> None:
    (clean_project / ".mlgen").mkdir()
    (clean_project / ".mlgen/suppressions.yaml").write_text(
        "suppressions:\n  - id: MLG003\n", encoding="utf-8"
    )
    code, output = run_check(str(clean_project))
    assert code == 2
    assert "needs a 'reason'" in output


def test_inline_skip_without_reason_is_a_failure(clean_project: Path) -> None:
    storage = clean_project / "modules/aws/storage/main.tf"
    replace_once(
        storage,
        "#checkov:skip=CKV_AWS_144:Cross-region replication is a per-project decision; the spec has no replica region yet",
        "#checkov:skip=CKV_AWS_144",
    )
    code, report = json_report(clean_project)
    assert code == 1
    assert [(f["check_id"], f["message"]) for f in report["failures"]] == [
        ("CKV_AWS_144", "suppressed inline without a reason: add one after the check id")
    ]


@pytest.mark.parametrize(
    "args",
    [["/nonexistent/project"], [".", "--format", "xml"], [".", "--no-such-option"]],
)
def test_usage_errors_exit_two(args: list[str]) -> None:
    code, _ = run_check(*args)
    assert code == 2


def test_output_file_receives_the_report(clean_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    code, output = run_check(str(clean_project), "--format", "json", "--output", str(target))
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["ok"] is True
    assert "report written to" in output


def test_check_runs_as_a_subprocess_and_help_does_not_import_checkov(clean_project: Path) -> None:
    env = {"PYTHONPATH": str(REPO_ROOT / "generator"), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    completed = subprocess.run(
        [sys.executable, "-m", "mlgen", "check", str(clean_project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    probe = "import sys, mlgen.cli as c; c.main(['--help'], standalone_mode=False); print('checkov' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert completed.stdout.strip().endswith("False"), completed.stdout + completed.stderr


def test_files_checkov_cannot_parse_fail_instead_of_passing_unchecked(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket =\n', encoding="utf-8")
    workflows = tmp_path / ".github/workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("on: [push\njobs: {\n", encoding="utf-8")
    code, report = json_report(tmp_path)
    assert code == 1
    assert {(f["check_id"], f["file"]) for f in report["failures"]} >= {
        ("PARSE_ERROR", "main.tf"),
        ("PARSE_ERROR", ".github/workflows/ci.yml"),
    }


def test_a_directory_with_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a project\n", encoding="utf-8")
    code, output = run_check(str(tmp_path))
    assert code == 2
    assert "nothing to check" in output


def test_missing_checkov_is_reported_with_the_install_command(
    clean_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mlgen.cli.check_cmd.checkov_available", lambda: False)
    code, output = run_check(str(clean_project))
    assert code == 2
    assert 'pip install "mlgen[check]"' in output
