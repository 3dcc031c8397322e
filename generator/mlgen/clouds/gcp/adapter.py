"""The GCP adapter: spec checks, state naming, plan → Terraform roots, cost items, idle-cost notes and CI
data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgen.clouds.base import SpecFinding, TerraformRoot
from mlgen.clouds.gcp import catalog, naming
from mlgen.clouds.gcp.capabilities import CAPABILITIES

if TYPE_CHECKING:
    from mlgen.cost.model import CostItem
    from mlgen.plan import EnvironmentPlan, Plan
    from mlgen.spec.models import Spec

LOG_RETENTION_MAX_DAYS = 3650  # Cloud Logging buckets keep logs 1 to 3650 days


class GcpAdapter:
    cloud = "gcp"
    capabilities = CAPABILITIES

    def check_spec(self, spec: Spec) -> list[SpecFinding]:
        """Every environment's training must map to a machine type (the very lookup generate runs), and
        what Cloud Logging accepts."""
        findings = []
        for name, env in spec.environments.items():
            try:
                catalog.gpu_machine(env.training.gpu, env.training.gpus_per_node)
            except catalog.CatalogError as error:
                findings.append(SpecFinding(f"environments.{name}.training", str(error)))
            retention = {
                "monitoring.log_retention_days": env.monitoring.log_retention_days,
                "network.flow_log_retention_days": env.network.flow_log_retention_days,
            }
            for field, days in retention.items():
                if days > LOG_RETENTION_MAX_DAYS:
                    findings.append(
                        SpecFinding(
                            f"environments.{name}.{field}",
                            f"Cloud Logging keeps logs at most {LOG_RETENTION_MAX_DAYS} days, not {days}",
                            f"set {field.split('.')[1]} to {LOG_RETENTION_MAX_DAYS} or less",
                        )
                    )
        return findings

    def state_bucket(self, project: str, environment: str, account_id: str) -> str:
        # GCS bucket names are global; a hash of the project id makes this one unique.
        return naming.state_bucket(project, environment, account_id)

    def terraform_roots(self, plan: Plan) -> list[TerraformRoot]:
        from mlgen.clouds.gcp.bootstrap_root import bootstrap_root
        from mlgen.clouds.gcp.environment_root import environment_root

        roots: list[TerraformRoot] = []
        for env in plan.environments.values():
            roots += [bootstrap_root(plan.project, env), environment_root(plan.project, env)]
        return roots

    def idle_costs(self, environment: EnvironmentPlan) -> list[str]:
        from mlgen.cost.estimate import idle_cost_notes

        return idle_cost_notes(self, environment)

    def price_table_path(self, region: str) -> Path:
        from mlgen.clouds.gcp import costing

        return costing.price_table_path(region)

    def scenario_defaults(self, environment: EnvironmentPlan) -> dict[str, float]:
        from mlgen.clouds.gcp import costing

        return costing.scenario_defaults(environment)

    def cost_items(
        self, environment: EnvironmentPlan, values: dict[str, float]
    ) -> tuple[list[CostItem], list[CostItem]]:
        from mlgen.clouds.gcp import costing

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
                    # A plan in CI needs the federated service accounts, made only with access.ci.
                    "plan": env.access.ci is not None,
                }
                for env in plan.environments.values()
            ],
        }


ADAPTER = GcpAdapter()
