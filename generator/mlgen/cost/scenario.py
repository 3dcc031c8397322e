"""The usage scenario: how much an environment is used in a month, beyond what it bills idle.

Every value is an assumption printed with the estimate. Unset values come from the spec (training run
length, nodes, spot); ``--scenario FILE`` overrides them, for all environments or per environment:

    training_runs_per_month: 8
    environments:
      prod: {endpoint_load: 0.8}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ScenarioValues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    training_runs_per_month: float | None = Field(
        default=None, ge=0, description="Training jobs a month (default 4: about one a week)."
    )
    training_hours_per_run: float | None = Field(
        default=None, ge=0, description="Hours each training job runs (default: training.max_runtime_hours)."
    )
    spot_discount_percent: float | None = Field(
        default=None, ge=0, lt=100, description="Saving of spot over on-demand capacity (default 70)."
    )
    endpoint_load: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Where in the autoscaling range dedicated endpoints run on average: 0 = min, 1 = max "
        "replicas (default 0.25).",
    )
    serverless_requests_per_month: float | None = Field(
        default=None, ge=0, description="Requests to each serverless endpoint a month (default 100000)."
    )
    serverless_seconds_per_request: float | None = Field(
        default=None, ge=0, description="Compute seconds per serverless request (default 0.2)."
    )
    storage_gb: float | None = Field(
        default=None, ge=0, description="GB stored in the data buckets, all zones (default 100)."
    )
    registry_gb: float | None = Field(
        default=None, ge=0, description="GB of images in the registry (default 10)."
    )
    egress_gb: float | None = Field(
        default=None,
        ge=0,
        description="GB a month through the NAT gateways, where there are any (default 20).",
    )
    endpoint_traffic_gb: float | None = Field(
        default=None, ge=0, description="GB a month through the private endpoints (default 20)."
    )
    idle_log_gb: float | None = Field(
        default=None,
        ge=0,
        description="GB of logs an idle environment ingests a month: flow logs, alarms (default 1).",
    )


DEFAULTS: dict[str, float] = {
    "training_runs_per_month": 4,
    "spot_discount_percent": 70,
    "endpoint_load": 0.25,
    "serverless_requests_per_month": 100_000,
    "serverless_seconds_per_request": 0.2,
    "storage_gb": 100,
    "registry_gb": 10,
    "egress_gb": 20,
    "endpoint_traffic_gb": 20,
    "idle_log_gb": 1,
}


class ScenarioFile(ScenarioValues):
    environments: dict[str, ScenarioValues] = Field(default_factory=dict)


class ScenarioError(click.ClickException):
    """A scenario file that cannot be read or has a wrong value: exit 2 with the field and the fix."""

    exit_code = 2


class Scenario:
    """Resolved scenario values for one environment: file (per-env, then global), then spec, then default."""

    def __init__(self, file: ScenarioFile | None = None) -> None:
        self.file = file or ScenarioFile()

    def for_environment(self, name: str, spec_defaults: dict[str, float]) -> dict[str, float]:
        overrides = self.file.environments.get(name, ScenarioValues())
        values: dict[str, float] = {}
        for key in ScenarioValues.model_fields:
            for source in (overrides.model_dump(), self.file.model_dump(), spec_defaults, DEFAULTS):
                if source.get(key) is not None:
                    values[key] = float(source[key])
                    break
        return values


def load_scenario(path: Path | None) -> Scenario:
    if path is None:
        return Scenario()
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        raw: Any = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read the scenario file: {error.strerror or error}") from error
    except YAMLError as error:
        raise ScenarioError(f"{path}: not valid YAML: {error}") from error
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping of values, e.g. training_runs_per_month: 8")
    try:
        return Scenario(ScenarioFile.model_validate(raw))
    except ValidationError as error:
        allowed = ", ".join([*ScenarioValues.model_fields, "environments"])
        problems = []
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"])
            problems.append(f"{path}: {field}: {item['msg']}")
        raise ScenarioError("\n".join(problems) + f"\nallowed keys: {allowed}") from error
