"""What every cloud adapter does the same way, given its package's layout.

Each cloud package has ``bootstrap_root.py`` and ``environment_root.py`` (a root per environment each),
``costing.py`` (``PRICES_DIR`` of price tables, cost items), and keeps CI plans to environments with
``access.ci``. A cloud's adapter subclasses :class:`PackageAdapter` and adds what differs: its
capabilities, ``check_spec`` and ``state_bucket``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlgen.clouds.base import TerraformRoot
    from mlgen.cost.model import CostItem
    from mlgen.plan import EnvironmentPlan, Plan


class PackageAdapter:
    cloud: str

    def _module(self, name: str) -> ModuleType:
        # Imported when first used: `mlgen --help` and `mlgen validate` never load the roots or prices.
        return importlib.import_module(f"mlgen.clouds.{self.cloud}.{name}")

    def terraform_roots(self, plan: Plan) -> list[TerraformRoot]:
        bootstrap, environment = self._module("bootstrap_root"), self._module("environment_root")
        roots: list[TerraformRoot] = []
        for env in plan.environments.values():
            roots += [
                bootstrap.bootstrap_root(plan.project, env),
                environment.environment_root(plan.project, env),
            ]
        return roots

    def idle_costs(self, environment: EnvironmentPlan) -> list[str]:
        # One source: the README's idle column is the cost estimate's idle lines (default scenario).
        from mlgen.cost.estimate import idle_cost_notes

        return idle_cost_notes(self, environment)  # type: ignore[arg-type]

    def price_table_path(self, region: str) -> Path:
        # Each costing module names its folder of <region>.json tables (the refresh scripts write them).
        return self._module("costing").PRICES_DIR / f"{region}.json"

    def scenario_defaults(self, environment: EnvironmentPlan) -> dict[str, float]:
        # A training run lasts as long as the spec lets it, on every cloud.
        return {"training_hours_per_run": float(environment.training.max_runtime_hours)}

    def cost_items(
        self, environment: EnvironmentPlan, values: dict[str, float]
    ) -> tuple[list[CostItem], list[CostItem]]:
        return self._module("costing").cost_items(environment, values)

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
                    # A plan in CI needs the CI identities, which every landing zone makes only with access.ci.
                    "plan": env.access.ci is not None,
                }
                for env in plan.environments.values()
            ],
        }
