"""The plan: one resolved, defaulted, cloud-neutral object per environment (docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

from mlgen.plan.models import EnvironmentPlan, Plan, StatePlan
from mlgen.plan.resolve import resolve_plan

__all__ = ["EnvironmentPlan", "Plan", "StatePlan", "load_plan", "resolve_plan"]


def load_plan(path: Path) -> Plan:
    """load_spec + resolve_plan: the plan of a spec file (raises SpecError with every problem)."""
    from mlgen.spec import load_spec

    return resolve_plan(load_spec(path))
