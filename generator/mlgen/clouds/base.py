"""What every cloud adapter provides to the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from mlgen.plan import EnvironmentPlan, Plan


@dataclass(frozen=True)
class TerraformRoot:
    """One Terraform root module (a directory that `terraform apply` runs in), as rendered text files."""

    directory: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> HCL text
    # file name -> first content of a file the user owns once it exists (written only where absent).
    seed_files: dict[str, str] = field(default_factory=dict)


class CloudAdapter(Protocol):
    cloud: str

    def terraform_roots(self, plan: Plan) -> list[TerraformRoot]:
        """The bootstrap and environment roots of every environment, in plan order."""
        ...

    def idle_costs(self, environment: EnvironmentPlan) -> list[str]:
        """What keeps costing money while nothing runs, in words a reviewer can check."""
        ...

    def ci_context(self, plan: Plan) -> dict[str, Any]:
        """Data for the generated CI workflow (per-environment roles, regions)."""
        ...
