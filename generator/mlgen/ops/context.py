"""What every ops command starts from: the project directory, its plan and the chosen environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from mlgen.plan import EnvironmentPlan, Plan

SPEC_FILENAME = "mlgen.yaml"


@dataclass(frozen=True)
class OpsContext:
    project_dir: Path
    plan: Plan
    env: EnvironmentPlan

    @property
    def project(self) -> str:
        return self.plan.project

    @property
    def root_dir(self) -> Path:
        """The environment's Terraform root (where `terraform destroy` runs)."""
        return self.project_dir / "infra" / "envs" / self.env.name

    @property
    def bootstrap_dir(self) -> Path:
        """The state-bootstrap root (local state) that made the state bucket and its key."""
        return self.project_dir / "infra" / "bootstrap" / self.env.name

    @property
    def protected(self) -> bool:
        """Prod, or any environment with deletion protection: destructive commands need the typed name."""
        return self.env.name == "prod" or self.env.deletion_protection


def load_context(project_dir: Path, env_name: str) -> OpsContext:
    """Load mlgen.yaml of the project and pick one environment (exit 2 with the choices if unknown)."""
    from mlgen.plan import load_plan

    spec_path = project_dir / SPEC_FILENAME
    if not spec_path.is_file():
        raise click.UsageError(
            f"no {SPEC_FILENAME} in {project_dir}: run this in a generated project or pass --project-dir"
        )
    plan = load_plan(spec_path)
    if env_name not in plan.environments:
        allowed = ", ".join(plan.environments)
        raise click.BadParameter(f"{env_name!r} is not an environment of {spec_path} (allowed: {allowed})")
    return OpsContext(project_dir=project_dir, plan=plan, env=plan.environments[env_name])
