"""The generator pipeline: spec file → plan → rendered files → disk.

``render_project`` is pure (data in, files out); ``generate_project`` and ``drift_paths`` are the edges
that touch the disk. The CLI and `mlgen check` call these, nothing else.
"""

from __future__ import annotations

from pathlib import Path

from mlgen.plan import Plan, resolve_plan
from mlgen.render.project import render_project
from mlgen.spec.loader import load_spec
from mlgen.writer import DriftReport, GeneratedFile, WriteReport, check_tree, write_tree

SPEC_FILENAME = "mlgen.yaml"


def plan_from_spec(spec_path: Path) -> Plan:
    return resolve_plan(load_spec(spec_path))


def render_from_spec(spec_path: Path) -> dict[str, GeneratedFile]:
    return render_project(plan_from_spec(spec_path))


def generate_project(project_dir: Path, *, spec_path: Path | None = None, force: bool = False) -> WriteReport:
    spec_path = spec_path or project_dir / SPEC_FILENAME
    return write_tree(project_dir, render_from_spec(spec_path), force=force)


def check_project(project_dir: Path, *, spec_path: Path | None = None) -> DriftReport:
    spec_path = spec_path or project_dir / SPEC_FILENAME
    return check_tree(project_dir, render_from_spec(spec_path))


def drift_paths(project_dir: Path) -> list[str]:
    """Relative paths whose content differs from what the spec would generate (empty when in sync)."""
    return check_project(project_dir).paths()
