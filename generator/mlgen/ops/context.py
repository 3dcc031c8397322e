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
    def cdktf(self) -> bool:
        """A CDKTF project: Terraform runs in the stacks `python main.py` synthesizes (see synthesize)."""
        return self.plan.output_format == "cdktf"

    @property
    def env_dir(self) -> Path:
        """infra/envs/<env>: the HCL root, or in a CDKTF project the folder of the committed release
        file (which the app reads) and the state backups."""
        return self.project_dir / "infra" / "envs" / self.env.name

    @property
    def backups_dir(self) -> Path:
        """Where the teardown saves the state: never in cdktf.out, which is a build output."""
        return self.env_dir / "backups"

    def synthesize(self) -> None:
        """In a CDKTF project, write the stacks (python main.py) so root_dir and bootstrap_dir hold
        what the committed app and release file say; an HCL project has nothing to build."""
        if self.cdktf:
            from mlgen.render.cdktf import APP_DIR
            from mlgen.render.cdktf.synth import synthesize

            synthesize(self.project_dir / APP_DIR)

    @property
    def root_dir(self) -> Path:
        """Where `terraform destroy` runs for the environment: its root or its synthesized stack."""
        return self._terraform_dir("envs")

    @property
    def bootstrap_dir(self) -> Path:
        """The state-bootstrap root (local state) that made the state bucket and its key, or its stack."""
        return self._terraform_dir("bootstrap")

    def _terraform_dir(self, kind: str) -> Path:
        from mlgen.render.cdktf import terraform_dir

        return self.project_dir / terraform_dir(f"infra/{kind}/{self.env.name}", self.plan.output_format)

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
