"""What a cloud offers, typed: the facts the spec checks before anything is generated.

Each cloud's values live in ``clouds/<cloud>/capabilities.py``; the spec reads them through
:func:`mlgen.clouds.capability_types`, so a limit is written once, next to the code that relies on it.
Pure data: importing this costs nothing (``mlgen --help`` stays fast).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IdFormat:
    """A value the cloud defines the shape of (an account id, a principal): regex and a person's words."""

    pattern: str
    description: str


@dataclass(frozen=True)
class NameLimits:
    """Longest names (characters) the cloud's modules accept; the spec refuses longer ones.

    Every name the modules derive (buckets, roles, endpoints) must fit for the longest allowed value;
    tests/clouds/test_name_limits.py builds the longest names from these and runs every module's
    validation blocks on them.
    """

    project: int
    zone: int
    endpoint: int
    variant: int


@dataclass(frozen=True)
class CiIdentity:
    """What identifies a CI job to the cloud: the repository variables that hold it, and their wording.

    Each environment's plan and apply identities are stored in repository variables named
    ``MLGEN_CI_<PLAN|APPLY>_<variable_kind>_<ENV>``, read from the root outputs named here.
    """

    noun: str  # what the variables hold, in the workflow header's words ("role ARNs")
    variable_kind: str  # the middle of each variable's name ("ROLE_ARN")
    plan_output: str  # the environment root's output with the plan identity
    apply_output: str  # ... and with the apply identity


@dataclass(frozen=True)
class CloudCapabilities:
    cloud: str
    regions: tuple[str, ...]
    default_region: str
    # GPU kind -> GPUs per node the cloud's managed training offers; a kind missing is not offered.
    gpu_counts: Mapping[str, tuple[int, ...]]
    serverless_serving: bool  # scale-to-zero, pay-per-request endpoints
    # Retention values the log service accepts (days); None: any day count.
    log_retention_days: tuple[int, ...] | None
    log_service: str
    budget_currencies: tuple[str, ...]
    account_id: IdFormat
    principal: IdFormat
    state_backend: str  # the Terraform backend native to the cloud
    name_limits: NameLimits
    generated: bool  # whether mlgen has an adapter that generates Terraform for this cloud
    # tracking.mlflow values the cloud's adapter can build ("serverless" needs a serverless MLflow service)
    tracking_modes: tuple[str, ...] = ("managed", "none")
    # serving.endpoints[].auth values the cloud's endpoints accept ("key": endpoint keys, as well as identity)
    endpoint_auth_modes: tuple[str, ...] = ("identity",)
    # Placeholder account per environment that `mlgen init` writes ({project} is filled in)
    placeholder_accounts: Mapping[str, str] = field(default_factory=dict)
    # GitHub Actions the cloud's CI jobs use (its credentials action): name -> (commit SHA, release tag)
    ci_action_pins: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # How CI jobs are identified to the cloud; None until the cloud has a CI plan job.
    ci_identity: CiIdentity | None = None

    def gpu_kinds(self, order: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(kind for kind in order if kind in self.gpu_counts)
