"""What every cloud adapter provides to the cloud-neutral pipeline (plan, assemble, CI, docs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: spec.models imports mlgen.clouds, which must not import the plan
    from mlgen.clouds.capability_types import CloudCapabilities
    from mlgen.cost.model import CostItem
    from mlgen.plan import EnvironmentPlan, Plan
    from mlgen.spec.models import Spec


class AdapterError(Exception):
    """A valid spec the adapter cannot build; the pipeline turns it into exit 2 with this message."""


if TYPE_CHECKING:
    from mlgen.render.root_model import RootModule


@dataclass(frozen=True)
class TerraformRoot:
    """One Terraform root module (a directory that `terraform apply` runs in), as rendered text files."""

    directory: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> HCL text
    # What the files say, as data: the CDKTF app is written from it (None for a root written as text only).
    model: RootModule | None = None
    # file name -> first content of a file the user owns once it exists (written only where absent).
    seed_files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SpecFinding:
    """Something in a spec the adapter cannot build, at its field path (e.g. environments.dev.training)."""

    path: str
    message: str
    hint: str | None = None


class CloudAdapter(Protocol):
    cloud: str
    capabilities: CloudCapabilities

    def check_spec(self, spec: Spec) -> list[SpecFinding]:
        """What `mlgen validate` must refuse beyond the capabilities: exactly what generate cannot build."""
        ...

    def state_bucket(self, project: str, environment: str, account_id: str) -> str:
        """The derived, globally unique name of an environment's remote-state bucket."""
        ...

    def terraform_roots(self, plan: Plan) -> list[TerraformRoot]:
        """The bootstrap and environment roots of every environment, in plan order."""
        ...

    def idle_costs(self, environment: EnvironmentPlan) -> list[str]:
        """What keeps costing money while nothing runs, in words a reviewer can check."""
        ...

    def price_table_path(self, region: str) -> Path:
        """The committed price table of a region (it may not exist: every line is then "not priced")."""
        ...

    def scenario_defaults(self, environment: EnvironmentPlan) -> dict[str, float]:
        """Usage-scenario values that come from the spec (e.g. training run length)."""
        ...

    def cost_items(
        self, environment: EnvironmentPlan, values: dict[str, float]
    ) -> tuple[list[CostItem], list[CostItem]]:
        """What bills idle and what bills under the usage scenario ``values``, unpriced."""
        ...

    def ci_context(self, plan: Plan) -> dict[str, Any]:
        """Data for the generated CI workflow (per-environment roles, regions)."""
        ...
