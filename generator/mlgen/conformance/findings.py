"""What a conformance check reports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Finding:
    """One violation, e.g. `main.tf:12: aws_s3_bucket.this: rule.filter.prefx: unknown argument`."""

    path: str  # file, relative to the checked root
    line: int
    address: str  # `aws_s3_bucket.this`, `data.aws_iam_policy_document.x`, `module.network`, `provider.aws`
    attribute: str  # dotted path inside the block (`rule.filter.prefx`), "" for the block itself
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.address, self.attribute) if part)
        text = f"{self.path}:{self.line}: {where + ': ' if where else ''}{self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text


@dataclass
class Report:
    """Findings fail a check; notes record what was deliberately not checked (and why)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_checked: int = 0
    blocks_checked: int = 0
