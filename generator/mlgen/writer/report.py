"""Human-readable summaries of write and drift reports (pure: data in, text out)."""

from __future__ import annotations

from mlgen.writer.model import DriftReport, SkippedFile, WriteReport


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _skipped_line(skipped: SkippedFile) -> str:
    advice = "use --force to overwrite" if skipped.overridable else "move it out of the way and regenerate"
    return f"{skipped.path} ({skipped.reason}; {advice})"


def _listing(heading: str, lines: list[str]) -> str:
    """One item stays on the heading's line; several go one per indented line (easier to scan)."""
    if len(lines) == 1:
        return f"{heading}: {lines[0]}"
    return f"{heading}:\n" + "\n".join(f"  {line}" for line in lines)


def format_write_report(report: WriteReport) -> str:
    """E.g. ``created 42, updated 3, unchanged 10, removed 1; kept 1 edited file: infra/main.tf (...)``."""
    summary = (
        f"created {len(report.created)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}, removed {len(report.removed)}"
    )
    parts = [summary]
    if report.skipped_edited:
        noun = _plural(len(report.skipped_edited), "edited file")
        parts.append(_listing(f"kept {noun}", [_skipped_line(item) for item in report.skipped_edited]))
    if report.kept_stale_edited:
        noun = _plural(len(report.kept_stale_edited), "edited file")
        lines = [
            f"{path} (mlgen no longer generates it; it is yours now, delete it if unneeded)"
            for path in report.kept_stale_edited
        ]
        parts.append(_listing(f"kept {noun} mlgen no longer generates", lines))
    return "; ".join(parts)


def format_drift_report(report: DriftReport) -> str:
    """What `mlgen generate --check` prints: 'up to date' or one section per kind of difference."""
    if report.clean:
        return f"generated files are up to date ({_plural(len(report.unchanged), 'file')} checked)"
    sections: list[str] = []
    if report.missing:
        sections.append(_listing(f"{_plural(len(report.missing), 'file')} missing", list(report.missing)))
    if report.different:
        sections.append(
            _listing(f"{_plural(len(report.different), 'file')} out of date", list(report.different))
        )
    if report.edited:
        lines = [f"{item.path} ({item.reason})" for item in report.edited]
        sections.append(_listing(f"{_plural(len(report.edited), 'file')} changed by hand", lines))
    if report.stale:
        sections.append(
            _listing(f"{_plural(len(report.stale), 'file')} no longer generated", list(report.stale))
        )
    if report.stale_edited:
        sections.append(
            _listing(
                f"{_plural(len(report.stale_edited), 'edited file')} no longer generated",
                list(report.stale_edited),
            )
        )
    return "\n".join(sections) + "\nrun `mlgen generate` to update the tree (edited files need --force)"
