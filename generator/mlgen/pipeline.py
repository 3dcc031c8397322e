"""The generator pipeline: spec file → plan → rendered files → disk.

``render_from_spec`` is pure (data in, files out); ``generate_project`` and ``check_project`` are the edges
that touch the disk. The CLI and `mlgen check` call these, nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlgen import SPEC_FILENAME
from mlgen.writer import DriftReport, GeneratedFile, WriteReport, check_tree, write_tree

if TYPE_CHECKING:  # the plan pulls in pydantic; keep it out of import time for `mlgen check --help`
    from mlgen.plan import Plan
    from mlgen.spec.models import Spec


class GenerationError(click.ClickException):
    """The spec is valid but cannot be generated (e.g. a cloud without an adapter yet)."""

    exit_code = 2


def render_plan(plan: Plan) -> dict[str, GeneratedFile]:
    from mlgen.assemble import assemble_project
    from mlgen.clouds import AdapterError

    try:
        return assemble_project(plan)
    except AdapterError as error:
        raise GenerationError(str(error)) from error


def plan_spec(spec: Spec) -> Plan:
    """The plan of a loaded spec, after the adapter's own checks: what validate accepts, generate builds."""
    from mlgen.clouds import AdapterError, get_adapter
    from mlgen.plan import resolve_plan

    try:
        findings = get_adapter(spec.cloud).check_spec(spec)
        if findings:
            problems = "\n".join(
                f"{finding.path}: {finding.message}" + (f"\n    hint: {finding.hint}" if finding.hint else "")
                for finding in findings
            )
            raise GenerationError(f"the spec is valid, but {spec.cloud} cannot build it:\n{problems}")
        return resolve_plan(spec)
    except AdapterError as error:
        raise GenerationError(str(error)) from error


def render_from_spec(spec_path: Path, *, output_format: str | None = None) -> dict[str, GeneratedFile]:
    """``output_format`` (hcl, cdktf) overrides the spec's ``format`` field when given."""
    from mlgen.spec import load_spec

    plan = plan_spec(load_spec(spec_path))
    if output_format is not None:
        plan = plan.model_copy(update={"output_format": output_format})
    return render_plan(plan)


def generate_project(
    project_dir: Path, *, spec_path: Path | None = None, force: bool = False, output_format: str | None = None
) -> WriteReport:
    files = render_from_spec(spec_path or project_dir / SPEC_FILENAME, output_format=output_format)
    return write_tree(project_dir, files, force=force)


def check_project(
    project_dir: Path, *, spec_path: Path | None = None, output_format: str | None = None
) -> DriftReport:
    files = render_from_spec(spec_path or project_dir / SPEC_FILENAME, output_format=output_format)
    return check_tree(project_dir, files)


def drift_paths(project_dir: Path) -> list[str]:
    """Relative paths whose content differs from what the spec would generate (empty when in sync)."""
    drift = check_project(project_dir)
    edited = [skipped.path for skipped in drift.edited]
    return sorted({*drift.missing, *drift.different, *edited, *drift.stale, *drift.stale_edited})
