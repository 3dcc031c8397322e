"""mlgen suppressions: accepted findings listed, each with a reason, in ``.mlgen/suppressions.yaml``.

Inline ``#checkov:skip=ID:reason`` comments suit a single block; this file suits findings in code the
user does not edit (vendored modules), where an inline comment would be overwritten on regeneration::

    suppressions:
      - id: MLG002
        resource: module.training.aws_launch_template.gpu   # optional, glob
        file: modules/aws/training/*.tf                      # optional, glob
        reason: dev runs short on-demand smoke tests; approved by FinOps (TICKET-42)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

from mlgen.policy.report import FAILED, SKIPPED, Finding

SUPPRESSIONS_FILE = ".mlgen/suppressions.yaml"


class SuppressionsError(ValueError):
    """The suppressions file is malformed; the message says where and how to fix it."""


@dataclass(frozen=True)
class Suppression:
    check_id: str
    reason: str
    resource: str = "*"
    file: str = "*"

    def matches(self, finding: Finding) -> bool:
        return (
            finding.check_id == self.check_id
            and fnmatchcase(finding.resource, self.resource)
            and fnmatchcase(finding.file, self.file)
        )


def load_suppressions(project_dir: Path) -> list[Suppression]:
    path = project_dir / SUPPRESSIONS_FILE
    if not path.is_file():
        return []
    from ruamel.yaml import YAML, YAMLError

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except YAMLError as error:
        raise SuppressionsError(f"{SUPPRESSIONS_FILE} is not valid YAML: {error}") from error
    entries = data.get("suppressions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SuppressionsError(f"{SUPPRESSIONS_FILE} must have a top-level list 'suppressions'")
    suppressions = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise SuppressionsError(f"{SUPPRESSIONS_FILE}: entry {number} needs an 'id' (e.g. MLG002)")
        unknown = set(entry) - {"id", "reason", "resource", "file"}
        if unknown:
            raise SuppressionsError(f"{SUPPRESSIONS_FILE}: entry {number} has unknown keys {sorted(unknown)}")
        if not str(entry.get("reason") or "").strip():
            raise SuppressionsError(
                f"{SUPPRESSIONS_FILE}: entry {number} ({entry['id']}) needs a 'reason' saying why it is accepted"
            )
        suppressions.append(
            Suppression(
                check_id=str(entry["id"]),
                reason=str(entry["reason"]).strip(),
                resource=str(entry.get("resource", "*")),
                file=str(entry.get("file", "*")),
            )
        )
    return suppressions


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """Failures matched by a suppression become skipped, carrying its reason."""
    result = []
    for finding in findings:
        match = next((s for s in suppressions if finding.status == FAILED and s.matches(finding)), None)
        if match:
            finding = replace(finding, status=SKIPPED, reason=match.reason, suppressed_by=SUPPRESSIONS_FILE)
        result.append(finding)
    return result
