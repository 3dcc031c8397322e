"""The plan: one resolved, defaulted, cloud-neutral object per environment (DESIGN.md §2)."""

from __future__ import annotations

from mlgen.plan.models import EnvironmentPlan, Plan, StatePlan
from mlgen.plan.resolve import derived_state_bucket, resolve_plan

__all__ = ["EnvironmentPlan", "Plan", "StatePlan", "derived_state_bucket", "resolve_plan"]
