"""The result of `mlgen check`: findings from checkov plus the drift and format steps.

Plain data, sorted for deterministic output; every renderer (text, json, sarif, junitxml) reads it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
FRAMEWORKS: tuple[str, ...] = ("terraform", "dockerfile", "github_actions")


@dataclass(frozen=True, order=True)
class Finding:
    """One check applied to one resource (or file) by checkov."""

    framework: str
    check_id: str
    status: str
    file: str  # project-relative, POSIX separators
    line: int
    resource: str
    check_name: str = ""
    end_line: int = 0
    message: str = ""  # what exactly is wrong, when the check says
    fix: str = ""  # how to fix it
    reason: str = ""  # why it is suppressed (status == skipped)
    suppressed_by: str = ""  # "inline" (#checkov:skip) or the mlgen suppressions file
    caller: str = ""  # for module resources: the root file whose module call produced it

    @property
    def is_mlgen_policy(self) -> bool:
        return self.check_id.startswith("MLG")


@dataclass(frozen=True)
class StepResult:
    """A whole-project step that is not a checkov check: drift, terraform fmt."""

    name: str
    status: str
    detail: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class CoverageNote:
    """What an ML policy cannot see in one cloud's Terraform (said, so that no result is not read as a pass)."""

    policy_id: str
    cloud: str
    note: str


@dataclass
class CheckReport:
    project_dir: str
    findings: list[Finding] = field(default_factory=list)
    steps: list[StepResult] = field(default_factory=list)
    notes: list[CoverageNote] = field(default_factory=list)

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.framework, f.file, f.line, f.check_id, f.resource, f.status))
        self.notes.sort()

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.status == FAILED]

    @property
    def suppressions(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.status == SKIPPED]

    @property
    def failed_steps(self) -> list[StepResult]:
        return [step for step in self.steps if step.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.failed_steps

    def counts_by_framework(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {framework: Counter() for framework in FRAMEWORKS}
        for finding in self.findings:
            counts.setdefault(finding.framework, Counter())[finding.status] += 1
        return counts

    def counts_by_policy(self) -> dict[str, Counter[str]]:
        from mlgen.policy.catalog import POLICIES

        counts: dict[str, Counter[str]] = {policy.id: Counter() for policy in POLICIES}
        for finding in self.findings:
            if finding.is_mlgen_policy:
                counts.setdefault(finding.check_id, Counter())[finding.status] += 1
        return counts
