"""The AWS adapter: plan → Terraform roots, idle-cost notes and CI data."""

from __future__ import annotations

from typing import Any

from mlgen.clouds.aws.bootstrap import bootstrap_root
from mlgen.clouds.aws.environment import environment_root
from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan, Plan

# Interface endpoints the network module creates when private_endpoints is on (one ENI per AZ each).
INTERFACE_ENDPOINTS = 7


class AwsAdapter:
    cloud = "aws"

    def terraform_roots(self, plan: Plan) -> list[TerraformRoot]:
        roots: list[TerraformRoot] = []
        for env in plan.environments.values():
            roots += [bootstrap_root(plan.project, env), environment_root(plan.project, env)]
        return roots

    def idle_costs(self, environment: EnvironmentPlan) -> list[str]:
        costs = ["KMS keys (about 1 USD/month each)"]
        nat = {"none": 0, "single": 1, "per_az": environment.network.az_count}[environment.network.nat]
        if nat:
            costs.append(f"{nat} NAT gateway(s), billed per hour")
        if environment.network.private_endpoints:
            zones = environment.network.az_count
            costs.append(f"{INTERFACE_ENDPOINTS} interface VPC endpoints × {zones} AZs, billed per hour")
        if environment.tracking.mlflow == "managed":
            costs.append(f"SageMaker managed MLflow ({environment.tracking.server_size}), billed per hour")
        dedicated = [e.name for e in environment.serving.endpoints if not e.serverless]
        if dedicated:
            costs.append(f"endpoint instances ({', '.join(dedicated)}) once serving_release is set")
        serverless = [e.name for e in environment.serving.endpoints if e.serverless]
        if serverless:
            costs.append(f"nothing for serverless endpoints ({', '.join(serverless)}) between requests")
        return costs

    def ci_context(self, plan: Plan) -> dict[str, Any]:
        return {
            "project": plan.project,
            "cloud": plan.cloud,
            "terraform_dir": "infra",
            "environments": [
                {
                    "name": env.name,
                    "region": env.region,
                    "path": f"infra/envs/{env.name}",
                    # A plan in CI needs the OIDC roles, which the landing zone makes only with access.ci.
                    "plan": env.access.ci is not None,
                    "plan_role_output": "ci_plan_role_arn",
                    "apply_role_output": "ci_apply_role_arn",
                }
                for env in plan.environments.values()
            ],
        }
