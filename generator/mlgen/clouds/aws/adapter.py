"""The AWS adapter: spec checks, state naming, plan → Terraform roots, cost items, idle-cost notes and CI
data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgen.clouds.aws import catalog
from mlgen.clouds.aws.capabilities import CAPABILITIES
from mlgen.clouds.base import SpecFinding, TerraformRoot

if TYPE_CHECKING:
    from mlgen.cost.model import CostItem
    from mlgen.plan import EnvironmentPlan, Plan
    from mlgen.spec.models import Spec


class AwsAdapter:
    cloud = "aws"
    capabilities = CAPABILITIES

    def check_spec(self, spec: Spec) -> list[SpecFinding]:
        """Every environment's training must map to an instance (the capabilities already say which
        counts exist; this runs the very lookup generate runs, so the two cannot drift apart)."""
        findings = []
        for name, env in spec.environments.items():
            lookups = [catalog.sagemaker_training_instance]
            if env.training.platform == "vm":
                lookups.append(catalog.ec2_gpu_instance)
            for lookup in lookups:
                try:
                    lookup(env.training.gpu, env.training.gpus_per_node)
                except catalog.CatalogError as error:
                    findings.append(SpecFinding(f"environments.{name}.training", str(error)))
        return findings

    def state_bucket(self, project: str, environment: str, account_id: str) -> str:
        # S3 bucket names are global; the account id makes this one unique.
        return f"{project}-{environment}-tfstate-{account_id}"

    def terraform_roots(self, plan: Plan) -> list[TerraformRoot]:
        from mlgen.clouds.aws.bootstrap_root import bootstrap_root
        from mlgen.clouds.aws.environment_root import environment_root

        roots: list[TerraformRoot] = []
        for env in plan.environments.values():
            roots += [bootstrap_root(plan.project, env), environment_root(plan.project, env)]
        return roots

    def idle_costs(self, environment: EnvironmentPlan) -> list[str]:
        # One source: the README's idle column is the cost estimate's idle lines (default scenario).
        from mlgen.cost.estimate import idle_cost_notes

        return idle_cost_notes(self, environment)

    def price_table_path(self, region: str) -> Path:
        from mlgen.clouds.aws import costing

        return costing.price_table_path(region)

    def scenario_defaults(self, environment: EnvironmentPlan) -> dict[str, float]:
        from mlgen.clouds.aws import costing

        return costing.scenario_defaults(environment)

    def cost_items(
        self, environment: EnvironmentPlan, values: dict[str, float]
    ) -> tuple[list[CostItem], list[CostItem]]:
        from mlgen.clouds.aws import costing

        return costing.cost_items(environment, values)

    def ci_context(self, plan: Plan) -> dict[str, Any]:
        from mlgen.render.cdktf import APP_DIR, terraform_dir

        cdktf = plan.output_format == "cdktf"
        return {
            "project": plan.project,
            "cloud": plan.cloud,
            "terraform_dir": "infra",
            **({"cdktf_app": APP_DIR} if cdktf else {}),
            "environments": [
                {
                    "name": env.name,
                    "region": env.region,
                    "path": terraform_dir(f"infra/envs/{env.name}", plan.output_format),
                    # A plan in CI needs the OIDC roles, which the landing zone makes only with access.ci.
                    "plan": env.access.ci is not None,
                }
                for env in plan.environments.values()
            ],
        }


ADAPTER = AwsAdapter()
