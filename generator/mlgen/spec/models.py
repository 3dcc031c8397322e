"""The spec (mlgen.yaml) as pydantic models: strict, unknown keys are errors, wrong types are errors.

After loading, every section is complete: the blueprint supplies every default, the user's top-level
sections are merged over it, and each environment carries its *effective* sections (top level plus that
environment's overrides). Checks that depend on the cloud (regions, GPU kinds, account id formats) read
the cloud from the validation context, which :func:`mlgen.spec.validating.validate_spec_data` provides.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from mlgen.clouds import CLOUDS, capabilities
from mlgen.spec.errors import join_allowed
from mlgen.suggest import did_you_mean

ENVIRONMENT_NAMES: tuple[str, ...] = ("dev", "staging", "prod")
SECTION_NAMES: tuple[str, ...] = (
    "network",
    "storage",
    "encryption",
    "access",
    "training",
    "serving",
    "tracking",
    "budgets",
    "monitoring",
    "state",
)
GPU_KINDS: tuple[str, ...] = ("t4", "l4", "a10g", "a100", "h100")
CI_PROVIDERS_GENERATED: tuple[str, ...] = ("github",)
REQUIRED_TAG_KEYS: tuple[str, ...] = ("project", "environment", "owner", "cost-center", "managed-by")

PROJECT_PATTERN = r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"
NAME_PATTERN = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
TAG_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_.:/=+@-]{0,127}$"
TAG_VALUE_PATTERN = r"^[A-Za-z0-9 _.:/=+@-]{0,256}$"
REPOSITORY_PATTERN = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+$"
BRANCH_PATTERN = r"^[A-Za-z0-9_./*-]+$"
BUCKET_PATTERN = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
KEY_PREFIX_PATTERN = r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
OIDC_PROVIDER_PATTERN = (
    r"^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\.actions\.githubusercontent\.com$"
)

# How a pattern is described to a person when a value does not match it.
PATTERN_DESCRIPTIONS: dict[str, str] = {
    PROJECT_PATTERN: "3-24 characters: lower-case letters, digits and '-', starting with a letter, "
    "not ending with '-' (e.g. fraud-detect)",
    EMAIL_PATTERN: "an e-mail address such as ml-team@example.com",
    NAME_PATTERN: "2-32 characters: lower-case letters, digits and '-', starting with a letter",
    TAG_KEY_PATTERN: "a tag key: a letter, then up to 127 letters, digits or _.:/=+@-",
    TAG_VALUE_PATTERN: "a tag value: up to 256 letters, digits, spaces or _.:/=+@-",
    REPOSITORY_PATTERN: "a repository as owner/name (e.g. acme/fraud-detect)",
    BRANCH_PATTERN: "a branch name or glob such as main or release/*",
    BUCKET_PATTERN: "a bucket name: 3-63 lower-case letters, digits, '.' and '-'",
    CURRENCY_PATTERN: "a three-letter ISO 4217 currency code such as USD",
    KEY_PREFIX_PATTERN: "a path such as mlgen or teams/risk (no leading or trailing '/')",
    OIDC_PROVIDER_PATTERN: "the ARN of the account's token.actions.githubusercontent.com OIDC provider "
    "(arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)",
}

ProjectName = Annotated[str, StringConstraints(pattern=PROJECT_PATTERN)]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
ResourceName = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
TagKey = Annotated[str, StringConstraints(pattern=TAG_KEY_PATTERN)]
TagValue = Annotated[str, StringConstraints(pattern=TAG_VALUE_PATTERN)]
EnvironmentName = Literal["dev", "staging", "prod"]


def spec_problem(message: str, hint: str | None = None) -> PydanticCustomError:
    """A validation error whose text is ours; the loader shows `message` and `hint` as they are."""
    return PydanticCustomError("mlgen", "{message}", {"message": message, "hint": hint})


def context_cloud(info: ValidationInfo) -> str | None:
    """The cloud the spec targets, when the loader knows it (cloud-aware checks are skipped otherwise)."""
    context = info.context if isinstance(info.context, dict) else {}
    cloud = context.get("cloud")
    return cloud if cloud in CLOUDS else None


def check_region(region: str, info: ValidationInfo) -> str:
    cloud = context_cloud(info)
    regions = capabilities(cloud).regions if cloud is not None else ()
    if cloud is not None and region not in regions:
        raise spec_problem(
            f"unknown {cloud} region {region!r}",
            did_you_mean(region, regions) or f"{cloud} regions: {join_allowed(regions)}",
        )
    return region


def check_log_retention(days: int, info: ValidationInfo) -> int:
    cloud = context_cloud(info)
    offered = capabilities(cloud) if cloud is not None else None
    allowed_days = offered.log_retention_days if offered is not None else None
    if offered is not None and allowed_days is not None and days not in allowed_days:
        nearest = min(allowed_days, key=lambda allowed: (abs(allowed - days), allowed))
        raise spec_problem(
            f"{offered.log_service} does not accept a retention of {days} days",
            f"allowed: {join_allowed(allowed_days)}; the nearest is {nearest}",
        )
    return days


def check_name_length(name: str, kind: str, info: ValidationInfo) -> str:
    """Names the cloud's modules build on (zones, endpoints, variants) within the cloud's limit."""
    cloud = context_cloud(info)
    if cloud is not None:
        limit = getattr(capabilities(cloud).name_limits, kind)
        if len(name) > limit:
            raise spec_problem(
                f"{name!r} is {len(name)} characters; {cloud} {kind} names are at most {limit}",
                f"names derived from it (<project>-<environment>-{name}) must fit {cloud}'s limits",
            )
    return name


class StrictModel(BaseModel):
    """No unknown keys, no type coercion ("24" is not a number), immutable once validated."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class NetworkSpec(StrictModel):
    """The private network of one environment."""

    cidr: str = Field(
        description="IPv4 range of the environment's network, /16 to /24. Environments must not overlap "
        "(so they can be peered or routed later)."
    )
    az_count: int = Field(ge=2, le=6, description="Availability zones with a private subnet each (2-6).")
    nat: Literal["none", "single", "per_az"] = Field(
        description="Outbound internet for private subnets: none (only private endpoints; lowest idle "
        "cost), single (one NAT gateway), per_az (one NAT gateway per zone; survives a zone outage)."
    )
    private_endpoints: bool = Field(
        description="Reach the cloud's ML, storage, registry, logging and key services over private "
        "endpoints instead of the internet."
    )
    endpoint_zones: int | None = Field(
        ge=1,
        le=6,
        description="Zones that carry the private endpoints; null: every zone. Each endpoint bills per "
        "zone and hour, so 1 is cheapest; workloads in the other zones then reach it across zones and lose "
        "the cloud's APIs while that zone is down.",
    )
    flow_log_retention_days: int = Field(
        ge=1, le=3653, description="Days to keep network flow logs (AWS: a CloudWatch Logs retention value)."
    )

    @field_validator("cidr")
    @classmethod
    def _cidr_is_a_private_range(cls, cidr: str) -> str:
        try:
            network = ipaddress.IPv4Network(cidr, strict=False)
        except ValueError:
            raise spec_problem(
                f"{cidr!r} is not an IPv4 CIDR range", "write it as address/prefix, e.g. 10.10.0.0/16"
            ) from None
        if str(network) != cidr:
            raise spec_problem(f"{cidr!r} has host bits set", f"did you mean {str(network)!r}?")
        if not 16 <= network.prefixlen <= 24:
            raise spec_problem(
                f"prefix /{network.prefixlen} is outside /16 to /24",
                "a /16 leaves room for every subnet mlgen creates",
            )
        if not network.is_private:
            raise spec_problem(
                f"{cidr} is not a private (RFC 1918) range", "use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
            )
        return cidr

    @field_validator("endpoint_zones")
    @classmethod
    def _endpoint_zones_within_the_network(
        cls, endpoint_zones: int | None, info: ValidationInfo
    ) -> int | None:
        az_count = info.data.get("az_count")
        if endpoint_zones is not None and az_count is not None and endpoint_zones > az_count:
            raise spec_problem(
                f"endpoint_zones is {endpoint_zones} but the network has only {az_count} zones (az_count)",
                f"set endpoint_zones to at most {az_count}, or null for every zone",
            )
        return endpoint_zones

    @field_validator("private_endpoints")
    @classmethod
    def _isolated_network_needs_endpoints(cls, private_endpoints: bool, info: ValidationInfo) -> bool:
        if info.data.get("nat") == "none" and not private_endpoints:
            raise spec_problem(
                "with nat: none and no private endpoints, jobs in private subnets cannot reach any "
                "cloud service",
                "set private_endpoints: true, or nat: single",
            )
        return private_endpoints

    @field_validator("flow_log_retention_days")
    @classmethod
    def _flow_log_retention_is_accepted(cls, days: int, info: ValidationInfo) -> int:
        return check_log_retention(days, info)


class StorageSpec(StrictModel):
    """Object storage zones (one bucket/container per zone) and their lifecycle."""

    zones: list[
        Annotated[ResourceName, AfterValidator(lambda zone, info: check_name_length(zone, "zone", info))]
    ] = Field(
        min_length=1,
        description="Data zones, one encrypted, versioned bucket each. Must include 'artifacts' (models "
        "and checkpoints are written there).",
    )
    noncurrent_version_expiration_days: int = Field(
        ge=1, le=3650, description="Days before overwritten or deleted object versions are removed."
    )
    transition_to_ia_days: int = Field(
        ge=30, le=3650, description="Days before objects move to the infrequent-access tier (at least 30)."
    )
    access_log_retention_days: int = Field(ge=1, le=3650, description="Days to keep the storage access logs.")

    @field_validator("zones")
    @classmethod
    def _zones_are_unique_and_include_artifacts(cls, zones: list[str]) -> list[str]:
        duplicates = sorted({zone for zone in zones if zones.count(zone) > 1})
        if duplicates:
            raise spec_problem(f"zone {duplicates[0]!r} is listed more than once")
        if "artifacts" not in zones:
            raise spec_problem(
                "the zones must include 'artifacts'", "models and checkpoints are stored there"
            )
        return zones


class EncryptionSpec(StrictModel):
    """Customer-managed keys (one per environment, rotated yearly)."""

    key_deletion_window_days: int = Field(
        ge=7, le=30, description="Days a scheduled key deletion can still be cancelled (7-30)."
    )


class CISpec(StrictModel):
    """The CI repository allowed to deploy, federated by OIDC (no long-lived keys)."""

    provider: Literal["github", "gitlab"] = Field(
        default="github", description="The CI system (github; gitlab is planned, not generated yet)."
    )
    repository: str = Field(pattern=REPOSITORY_PATTERN, description="The repository as owner/name.")
    branches: list[Annotated[str, StringConstraints(pattern=BRANCH_PATTERN)]] = Field(
        default_factory=lambda: ["main"],
        min_length=1,
        description="Branches (globs allowed on AWS and GCP; Azure federates exact names only) whose "
        "workflows may assume the read-only plan role; "
        "pull requests may too. Applies run only in the GitHub environment named after each environment.",
    )
    oidc_provider_arn: Annotated[str, StringConstraints(pattern=OIDC_PROVIDER_PATTERN)] | None = Field(
        default=None,
        description="An existing GitHub OIDC provider in the environment's account to reuse (an account has "
        "at most one per URL); null: the landing zone creates it.",
    )

    @field_validator("provider")
    @classmethod
    def _provider_is_generated(cls, provider: str) -> str:
        # Accepting gitlab would hand the project GitHub OIDC and a GitHub workflow without a word.
        if provider not in CI_PROVIDERS_GENERATED:
            raise spec_problem(
                f"CI provider {provider!r} is not generated yet",
                f"use provider: {CI_PROVIDERS_GENERATED[0]} (OIDC, no stored keys), or remove access.ci",
            )
        return provider


class AccessSpec(StrictModel):
    """Who may do what: people who assume the data-scientist role, and the CI identity."""

    data_scientist_principals: list[str] = Field(
        description="Principals allowed to assume the data-scientist role (AWS: IAM ARNs; GCP: members "
        "such as group:ds@example.com; Azure: object ids). Empty: nobody until you add them."
    )
    ci: CISpec | None = Field(description="CI repository for OIDC federation; null: no CI role.")

    @field_validator("data_scientist_principals")
    @classmethod
    def _principals_match_the_cloud(cls, principals: list[str], info: ValidationInfo) -> list[str]:
        cloud = context_cloud(info)
        if cloud is None:
            return principals
        pattern, description = (
            capabilities(cloud).principal.pattern,
            capabilities(cloud).principal.description,
        )
        for principal in principals:
            if not re.match(pattern, principal):
                raise spec_problem(f"{principal!r} is not a {cloud} principal", f"expected {description}")
        if len(set(principals)) != len(principals):
            raise spec_problem("a principal is listed more than once")
        return principals


class TrainingSpec(StrictModel):
    """GPU training compute."""

    gpu: Literal[GPU_KINDS] = Field(
        description="Abstract GPU kind; the cloud adapter picks the machine type."
    )
    gpus_per_node: int = Field(ge=1, le=8, description="GPUs per node; must be a count the cloud offers.")
    nodes: int = Field(ge=1, le=16, description="Nodes per training job (distributed data parallel).")
    spot: bool = Field(description="Use spot capacity (checkpoints make jobs resume after interruption).")
    max_runtime_hours: int = Field(ge=1, le=672, description="Hard stop for a training job (hours).")
    platform: Literal["managed", "vm"] = Field(
        description="managed: the cloud's training jobs (SageMaker, Vertex AI, Azure ML); vm: also an "
        "autoscaling group of GPU VMs that scales to zero."
    )
    vm_max_instances: int = Field(
        ge=0, le=64, description="Upper bound of the GPU VM group (platform vm); 0 with platform managed."
    )
    manage_log_group: bool = Field(
        default=False,
        description="AWS: create /aws/sagemaker/TrainingJobs with the environment key and log retention. "
        "The group is account-wide and exists in any account that ever ran a training job, so false (reuse "
        "it) is the default; true only in an account where it does not exist yet.",
    )

    @field_validator("gpu")
    @classmethod
    def _gpu_is_offered(cls, gpu: str, info: ValidationInfo) -> str:
        cloud = context_cloud(info)
        if cloud is not None and gpu not in capabilities(cloud).gpu_counts:
            raise spec_problem(
                f"{cloud} does not offer {gpu} GPUs for managed training",
                f"{cloud} offers: {join_allowed(capabilities(cloud).gpu_kinds(GPU_KINDS))}",
            )
        return gpu

    @field_validator("gpus_per_node")
    @classmethod
    def _gpu_count_is_offered(cls, count: int, info: ValidationInfo) -> int:
        cloud, gpu = context_cloud(info), info.data.get("gpu")
        offered = capabilities(cloud).gpu_counts.get(gpu or "") if cloud is not None else None
        if offered and count not in offered:
            raise spec_problem(
                f"{cloud} has no node with {count} {gpu} GPUs", f"allowed for {gpu}: {join_allowed(offered)}"
            )
        return count

    @field_validator("vm_max_instances")
    @classmethod
    def _vm_group_can_grow(cls, count: int, info: ValidationInfo) -> int:
        if info.data.get("platform") == "vm" and count < 1:
            raise spec_problem("platform vm needs vm_max_instances of at least 1")
        return count


class VariantSpec(StrictModel):
    """One model variant behind an endpoint, with its share of traffic (canary releases)."""

    name: ResourceName = Field(description="Variant name, e.g. blue or green.")
    weight: int = Field(ge=0, le=100, description="Percent of traffic; an endpoint's weights sum to 100.")

    @field_validator("name")
    @classmethod
    def _name_fits(cls, name: str, info: ValidationInfo) -> str:
        return check_name_length(name, "variant", info)


class EndpointSpec(StrictModel):
    """A model serving endpoint."""

    name: ResourceName = Field(description="Endpoint name, unique in the environment.")

    @field_validator("name")
    @classmethod
    def _name_fits(cls, name: str, info: ValidationInfo) -> str:
        return check_name_length(name, "endpoint", info)

    size: Literal["small", "medium", "large"] = Field(
        default="small", description="Abstract instance size (or memory, for serverless)."
    )
    min_replicas: int = Field(default=1, ge=1, le=100, description="Fewest replicas autoscaling keeps.")
    max_replicas: int = Field(default=2, ge=1, le=100, description="Most replicas autoscaling adds.")
    serverless: bool = Field(
        default=False,
        description="Pay per request, scale to zero (AWS only); replicas and variants do not apply.",
    )
    max_concurrency: int = Field(
        default=5, ge=1, le=200, description="Concurrent requests a serverless endpoint handles."
    )
    auth: Literal["identity", "key"] = Field(
        default="identity",
        description=(
            "How callers authenticate: identity = the cloud's identity-based auth (AWS: IAM-signed SigV4 "
            "requests; GCP: IAM access tokens; Azure: Entra ID tokens, AADToken), no secret to leak; "
            "key = endpoint keys (Azure only: the endpoint's primary and secondary keys)."
        ),
    )
    variants: list[VariantSpec] = Field(
        default_factory=list,
        description="Weighted model variants for canary releases; empty: a single variant.",
    )

    @field_validator("max_replicas")
    @classmethod
    def _max_not_below_min(cls, max_replicas: int, info: ValidationInfo) -> int:
        min_replicas = info.data.get("min_replicas")
        if isinstance(min_replicas, int) and min_replicas > max_replicas:
            raise spec_problem(
                f"max_replicas ({max_replicas}) is less than min_replicas ({min_replicas})",
                f"raise max_replicas to at least {min_replicas} or lower min_replicas",
            )
        return max_replicas

    @field_validator("serverless")
    @classmethod
    def _serverless_is_offered(cls, serverless: bool, info: ValidationInfo) -> bool:
        cloud = context_cloud(info)
        if serverless and cloud is not None and not capabilities(cloud).serverless_serving:
            raise spec_problem(
                f"{cloud} has no serverless inference endpoints",
                "set serverless: false and min_replicas: 1",
            )
        return serverless

    @field_validator("auth")
    @classmethod
    def _auth_is_offered(cls, auth: str, info: ValidationInfo) -> str:
        cloud = context_cloud(info)
        if cloud is not None and auth not in capabilities(cloud).endpoint_auth_modes:
            offered = capabilities(cloud).endpoint_auth_modes
            raise spec_problem(
                f"{cloud} endpoints do not take auth: {auth} (allowed on {cloud}: {join_allowed(offered)})",
                f"remove auth (the default, identity, uses {cloud}'s identity-based auth) or set auth: identity",
            )
        return auth

    @field_validator("variants")
    @classmethod
    def _variants_split_all_traffic(cls, variants: list[VariantSpec], info: ValidationInfo) -> list:
        if not variants:
            return variants
        if info.data.get("serverless"):
            raise spec_problem(
                "a serverless endpoint cannot split traffic between variants",
                "remove the variants or set serverless: false",
            )
        names = [variant.name for variant in variants]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise spec_problem(f"variant name {duplicates[0]!r} is used more than once")
        total = sum(variant.weight for variant in variants)
        if total != 100:
            weights = " + ".join(str(variant.weight) for variant in variants)
            raise spec_problem(f"variant weights sum to {total} ({weights}), not 100", "e.g. 90 and 10")
        return variants


class ServingSpec(StrictModel):
    """Model serving endpoints."""

    endpoints: list[EndpointSpec] = Field(description="Endpoints to create; empty: no serving.")

    @field_validator("endpoints")
    @classmethod
    def _endpoint_names_are_unique(cls, endpoints: list[EndpointSpec]) -> list[EndpointSpec]:
        names = [endpoint.name for endpoint in endpoints]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise spec_problem(f"endpoint name {duplicates[0]!r} is used more than once")
        return endpoints


class TrackingSpec(StrictModel):
    """Experiment tracking and model registry."""

    mlflow: Literal["managed", "serverless", "none"] = Field(
        description=(
            "managed: the cloud's MLflow-compatible tracking server (billed per hour at server_size); "
            "serverless: a serverless MLflow app with no idle hourly charge (AWS: SageMaker MLflow App); "
            "none: no tracking server."
        )
    )
    server_size: Literal["small", "medium", "large"] = Field(
        description="Size of the managed tracking server (mlflow = managed only)."
    )

    @field_validator("mlflow")
    @classmethod
    def _mlflow_is_offered(cls, mlflow: str, info: ValidationInfo) -> str:
        cloud = context_cloud(info)
        if cloud is not None and mlflow not in capabilities(cloud).tracking_modes:
            raise spec_problem(
                f"{cloud} does not offer tracking.mlflow = {mlflow}",
                f"allowed: {join_allowed(capabilities(cloud).tracking_modes)}",
            )
        return mlflow


class BudgetsSpec(StrictModel):
    """A monthly cost budget with alerts, filtered on the project tag."""

    monthly_amount: float = Field(gt=0, description="Monthly budget per environment.")
    currency: str = Field(pattern=CURRENCY_PATTERN, description="ISO 4217 currency (AWS budgets: USD).")
    thresholds: list[Annotated[int, Field(ge=1, le=1000)]] = Field(
        min_length=1,
        description="Alert when actual or forecast spend reaches these percents of the amount (ascending).",
    )
    emails: list[Email] = Field(description="Who is alerted; empty: the owner, when it is an e-mail address.")

    @field_validator("currency")
    @classmethod
    def _currency_is_accepted(cls, currency: str, info: ValidationInfo) -> str:
        cloud = context_cloud(info)
        if cloud is not None and currency not in capabilities(cloud).budget_currencies:
            raise spec_problem(
                f"{cloud} budgets do not accept {currency}",
                f"allowed: {join_allowed(capabilities(cloud).budget_currencies)}",
            )
        return currency

    @field_validator("thresholds")
    @classmethod
    def _thresholds_ascend(cls, thresholds: list[int]) -> list[int]:
        for previous, current in itertools.pairwise(thresholds):
            if current <= previous:
                raise spec_problem(
                    f"thresholds must be strictly ascending; {current} follows {previous}",
                    f"e.g. {sorted(set(thresholds))}",
                )
        return thresholds


class MonitoringSpec(StrictModel):
    """Alarms on serving endpoints and log retention."""

    p99_latency_ms: int = Field(ge=1, le=60000, description="Alarm when p99 model latency exceeds this (ms).")
    error_rate_percent: float = Field(
        gt=0, le=100, description="Alarm when the share of failed invocations exceeds this (percent)."
    )
    emails: list[Email] = Field(description="Who is alerted; empty: the owner, when it is an e-mail address.")
    log_retention_days: int = Field(
        ge=1, le=3653, description="Days to keep training and serving logs (AWS: a CloudWatch Logs value)."
    )

    @field_validator("log_retention_days")
    @classmethod
    def _log_retention_is_accepted(cls, days: int, info: ValidationInfo) -> int:
        return check_log_retention(days, info)


class StateSpec(StrictModel):
    """Where Terraform keeps its state (one bucket per environment account)."""

    backend: Literal["s3", "gcs", "azurerm"] | None = Field(
        description="Remote state backend; null: the cloud's own (s3, gcs, azurerm)."
    )
    bucket: Annotated[str, StringConstraints(pattern=BUCKET_PATTERN)] | None = Field(
        description="State bucket; null: derived as <project>-<environment>-tfstate-<account id>."
    )
    key_prefix: str = Field(pattern=KEY_PREFIX_PATTERN, description="Prefix of the state object keys.")

    @field_validator("backend")
    @classmethod
    def _backend_matches_cloud(cls, backend: str | None, info: ValidationInfo) -> str | None:
        cloud = context_cloud(info)
        native = capabilities(cloud).state_backend if cloud is not None else None
        if backend is not None and native is not None and backend != native:
            raise spec_problem(
                f"the {backend} backend does not belong to {cloud}",
                f"use {native} or null",
            )
        return backend


class Sections(StrictModel):
    """The sections every environment has (defaults from the blueprint)."""

    network: NetworkSpec = Field(description=NetworkSpec.__doc__)
    storage: StorageSpec = Field(description=StorageSpec.__doc__)
    encryption: EncryptionSpec = Field(description=EncryptionSpec.__doc__)
    access: AccessSpec = Field(description=AccessSpec.__doc__)
    training: TrainingSpec = Field(description=TrainingSpec.__doc__)
    serving: ServingSpec = Field(description=ServingSpec.__doc__)
    tracking: TrackingSpec = Field(description=TrackingSpec.__doc__)
    budgets: BudgetsSpec = Field(description=BudgetsSpec.__doc__)
    monitoring: MonitoringSpec = Field(description=MonitoringSpec.__doc__)
    state: StateSpec = Field(description=StateSpec.__doc__)


class EnvironmentSpec(Sections):
    """One environment (its own account) with overrides of any section."""

    account_id: str = Field(
        description="The environment's account: AWS account id (12 digits, quoted), GCP project id or "
        "Azure subscription id."
    )
    region: str | None = Field(
        default=None, description="Region of this environment; null: the top-level region."
    )
    deletion_protection: bool = Field(
        description="Protect data stores and keys against destroy. Default: true for prod, false otherwise."
    )

    @field_validator("account_id")
    @classmethod
    def _account_id_matches_cloud(cls, account_id: str, info: ValidationInfo) -> str:
        cloud = context_cloud(info)
        if cloud is not None:
            account = capabilities(cloud).account_id
            pattern, description = account.pattern, account.description
            if not re.match(pattern, account_id):
                raise spec_problem(
                    f"{account_id!r} is not a valid {cloud} account", f"expected {description}"
                )
        return account_id

    @field_validator("region")
    @classmethod
    def _region_is_known(cls, region: str | None, info: ValidationInfo) -> str | None:
        return None if region is None else check_region(region, info)


class SpecHeader(StrictModel):
    """The top-level identity of the project and its environments (fields listed first in mlgen.yaml)."""

    project: ProjectName = Field(description="Project name, used in every resource name and tag.")
    cloud: Literal[CLOUDS] = Field(
        description="Target cloud (the table of clouds below says which are generated)."
    )
    region: str = Field(description="Default region of every environment.")
    blueprint: Literal["starter", "production"] = Field(
        description="Preset that supplies every default (see `mlgen blueprints list`)."
    )
    owner: TagValue = Field(min_length=1, description="Owner (team e-mail), tagged on every resource.")
    cost_center: TagValue = Field(min_length=1, description="Cost center, tagged on every resource.")
    tags: dict[TagKey, TagValue] = Field(
        description="Extra tags on every taggable resource (the five required tags cannot be overridden)."
    )
    environments: dict[EnvironmentName, EnvironmentSpec] = Field(
        min_length=1, description="Environments (dev, staging, prod), each with overrides of any section."
    )
    format: Literal["hcl", "cdktf"] = Field(
        default="hcl",
        description="How the landing zone is written: hcl (Terraform root modules) or cdktf (a CDK for "
        "Terraform Python app whose stacks call the same modules; see docs/cdktf.md).",
    )
    cdktf_library: Literal["cdktn", "cdktf"] = Field(
        default="cdktn",
        description="The library the cdktf app uses: cdktn (CDK Terrain, maintained) or cdktf (archived 0.21).",
    )

    @field_validator("region")
    @classmethod
    def _region_is_known(cls, region: str, info: ValidationInfo) -> str:
        return check_region(region, info)

    @field_validator("tags")
    @classmethod
    def _tags_do_not_shadow_required(cls, tags: dict[str, str]) -> dict[str, str]:
        reserved = sorted(set(tags) & set(REQUIRED_TAG_KEYS))
        if reserved:
            raise spec_problem(
                f"tag {reserved[0]!r} is set by mlgen on every resource",
                "use the top-level project, owner or cost_center fields, or another tag key",
            )
        return tags


class Spec(Sections, SpecHeader):
    """mlgen.yaml: one ML workload, its environments and the defaults every environment starts from.

    After loading, each environment carries its effective sections (blueprint, top level and its own
    overrides merged); the top-level sections are the defaults every environment started from."""


SECTION_MODELS: dict[str, type[StrictModel]] = {
    name: Sections.model_fields[name].annotation
    for name in SECTION_NAMES  # type: ignore[misc]
}
