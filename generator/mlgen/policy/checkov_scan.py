"""Run checkov in-process over a generated project and turn its records into findings.

One process, one framework after the other (terraform, dockerfile, github_actions), with mlgen's ML
policies registered next to checkov's built-in checks. checkov is imported here, inside the function,
so nothing that `mlgen --help` imports pays for it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mlgen.policy.catalog import POLICY_BY_ID
from mlgen.policy.coverage import fix_hint
from mlgen.policy.report import FAILED, FRAMEWORKS, PASSED, SKIPPED, Finding

# checkov already skips hidden directories (except .github) and tool caches (.terraform, node_modules).
# Extra exclusions are regular expressions on project-relative paths; a plain ".git" would also match
# ".github" and silently drop the workflows, so none are added here.
EXCLUDED_PATHS: list[str] = []
# checkov's text when an inline skip gives no reason.
_NO_REASON = {"", "no comment provided"}


def _runner(framework: str) -> Any:
    if framework == "terraform":
        from checkov.terraform.runner import Runner
    elif framework == "dockerfile":
        from checkov.dockerfile.runner import Runner
    else:
        from checkov.github_actions.runner import Runner
    return Runner()


def scan_with_checkov(project_dir: Path, frameworks: tuple[str, ...] = FRAMEWORKS) -> list[Finding]:
    """Every checkov result (passed, failed, skipped) for ``frameworks`` under ``project_dir``."""
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # checkov reads it when first imported
    from checkov.runner_filter import RunnerFilter

    from mlgen.policy.checks import register_checks

    register_checks()
    logging.getLogger("checkov").setLevel(logging.ERROR)
    findings: list[Finding] = []
    for framework in frameworks:
        runner_filter = RunnerFilter(
            framework=[framework], show_progress_bar=False, excluded_paths=list(EXCLUDED_PATHS)
        )
        reports = _runner(framework).run(root_folder=str(project_dir), runner_filter=runner_filter)
        for report in reports if isinstance(reports, list) else [reports]:
            for record in report.failed_checks + report.passed_checks + report.skipped_checks:
                findings.append(finding_from_record(framework, record))
            findings.extend(parse_error(framework, project_dir, path) for path in report.parsing_errors)
    if "github_actions" in frameworks:
        findings.extend(_unparsable_workflows(project_dir))
    return _dedupe(findings)


PARSE_ERROR = "PARSE_ERROR"


def parse_error(framework: str, project_dir: Path, path: str | Path) -> Finding:
    """A file checkov could not read: nothing in it was checked, so it must not pass quietly."""
    relative = (
        Path(path).resolve().relative_to(project_dir.resolve()).as_posix()
        if Path(path).is_absolute()
        else path
    )
    return Finding(
        framework=framework,
        check_id=PARSE_ERROR,
        status=FAILED,
        file=_relative(str(relative)),
        line=0,
        resource=_relative(str(relative)),
        check_name="File could not be parsed, so none of its checks ran",
        message="syntax error",
        fix="Fix the syntax (terraform validate, hadolint or a YAML linter shows where) and run mlgen check again.",
    )


def _unparsable_workflows(project_dir: Path) -> list[Finding]:
    # checkov skips a workflow that is not valid YAML without saying so.
    from ruamel.yaml import YAML, YAMLError

    broken = []
    workflows = project_dir / ".github" / "workflows"
    for path in sorted(workflows.glob("*.y*ml")) if workflows.is_dir() else []:
        try:
            YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (YAMLError, UnicodeDecodeError):
            broken.append(parse_error("github_actions", project_dir, path))
    return broken


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per check, resource and outcome: a module called by several roots is one finding.

    checkov already merges passed and failed records this way; skipped ones it leaves one per caller.
    """
    unique: dict[tuple[str, ...], Finding] = {}
    for finding in findings:
        key = (
            finding.framework,
            finding.check_id,
            finding.status,
            finding.file,
            str(finding.line),
            finding.resource,
            finding.reason,
        )
        unique.setdefault(key, finding)
    return list(unique.values())


def finding_from_record(framework: str, record: Any) -> Finding:
    result = record.check_result
    status = {"PASSED": PASSED, "FAILED": FAILED, "SKIPPED": SKIPPED}[result["result"].name]
    reason = str(result.get("suppress_comment") or "").strip() if status == SKIPPED else ""
    message = "; ".join(str(detail) for detail in (record.details or []))
    if status == SKIPPED and reason.lower() in _NO_REASON:
        # A suppression must say why; one that does not is reported as a failure.
        status, message = FAILED, "suppressed inline without a reason: add one after the check id"
    policy = POLICY_BY_ID.get(record.check_id)
    fix = fix_hint(policy.id, str(record.resource), policy.fix) if policy else _builtin_fix(record)
    line_range = record.file_line_range or [0, 0]
    return Finding(
        framework=framework,
        check_id=record.check_id,
        status=status,
        file=_relative(record.file_path),
        line=int(line_range[0] or 0),
        end_line=int(line_range[1] or 0),
        resource=str(record.resource).lstrip("/") if framework == "dockerfile" else str(record.resource),
        check_name=policy.name if policy else str(record.check_name),
        message=message,
        fix=fix,
        reason=reason,
        suppressed_by="inline" if status == SKIPPED else "",
        caller=_relative(record.caller_file_path) if getattr(record, "caller_file_path", None) else "",
    )


def _builtin_fix(record: Any) -> str:
    # checkov fetches guideline URLs from its platform, which an offline run never reaches.
    if record.guideline:
        return f"see {record.guideline}"
    return f"make the block satisfy checkov {record.check_id}: {record.check_name}"


def _relative(path: str) -> str:
    return str(path).replace(os.sep, "/").lstrip("/")
