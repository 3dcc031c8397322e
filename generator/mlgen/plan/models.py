"""The plan: the fully resolved, defaulted, cloud-neutral model every later stage reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mlgen.spec.models import (
    AccessSpec,
    BudgetsSpec,
    EncryptionSpec,
    MonitoringSpec,
    NetworkSpec,
    ServingSpec,
    StorageSpec,
    TrackingSpec,
    TrainingSpec,
)


class FrozenModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatePlan(FrozenModel):
    """Remote state with everything derived: the backend and the bucket are never null here."""

    backend: str = Field(description="s3, gcs or azurerm.")
    bucket: str = Field(description="State bucket (AWS, GCP) or storage account (Azure).")
    key_prefix: str = Field(description="Prefix of the state object keys.")
    key: str = Field(description="Full state key of the environment: <key_prefix>/<project>/<env>.tfstate.")


class EnvironmentPlan(FrozenModel):
    """One environment, resolved: each section is the merged, defaulted section model."""

    name: str
    account_id: str
    region: str
    deletion_protection: bool
    tags: dict[str, str] = Field(description="The plan's tags plus environment=<name>, sorted.")
    network: NetworkSpec
    storage: StorageSpec
    encryption: EncryptionSpec
    access: AccessSpec
    training: TrainingSpec
    serving: ServingSpec
    tracking: TrackingSpec
    budgets: BudgetsSpec
    monitoring: MonitoringSpec
    state: StatePlan

    @property
    def prefix(self) -> str:
        """<project>-<environment>, the start of every resource name (set by resolve_plan)."""
        return f"{self.tags['project']}-{self.name}"


class Plan(FrozenModel):
    """The whole project, resolved; environments in the order dev, staging, prod."""

    project: str
    cloud: str
    region: str
    blueprint: str
    owner: str
    cost_center: str
    tags: dict[str, str] = Field(
        description="Project-wide tags: project, owner, cost-center, managed-by plus the extra tags, sorted. "
        "The fifth required tag, environment, differs per environment: see EnvironmentPlan.tags."
    )
    environments: dict[str, EnvironmentPlan]
    output_format: str = Field(default="hcl", description="hcl or cdktf (spec field format).")
    cdktf_library: str = Field(default="cdktn", description="cdktn or cdktf, for output_format cdktf.")

    @property
    def environment_names(self) -> tuple[str, ...]:
        return tuple(self.environments)
