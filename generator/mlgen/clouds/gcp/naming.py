"""GCP resource names and labels: the one source the landing zone (Terraform) and the ops commands share.

GCS bucket names are global, so each carries a short hash of the GCP project id; service account ids are
6–30 characters, so long prefixes are shortened with a hash that keeps them unique and stable.
"""

from __future__ import annotations

import hashlib
import re

from mlgen.plan import EnvironmentPlan

SERVICE_ACCOUNT_ID_MAX = 30
BUCKET_NAME_MAX = 63
LABEL_MAX = 63
# One service account per duty (the identity list); the short words keep ids under 30 characters.
DUTIES = {
    "training": "train",
    "serving": "serve",
    "data_scientist": "ds",
    "ci_plan": "ci-plan",
    "ci_apply": "ci-apply",
    "tracking": "mlflow",
}
# Where the landing zone writes the training-job defaults that `mlgen train submit` reads (JSON).
JOB_DEFAULTS_OBJECT = "mlgen/job-defaults.json"


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _fit(base: str, suffix: str, limit: int) -> str:
    """``base-suffix``, or, when that is longer than ``limit``, base shortened + a 4-hex hash of it."""
    name = f"{base}-{suffix}"
    if len(name) <= limit:
        return name
    keep = limit - len(suffix) - 6  # "-" + 4 hex + "-"
    return f"{base[:keep].rstrip('-')}-{short_hash(base, 4)}-{suffix}"


def bucket_name(env: EnvironmentPlan, zone: str) -> str:
    """The bucket of a storage zone (also 'access-logs' and 'staging'): <prefix>-<zone>-<hash of project id>."""
    return _fit(f"{env.prefix}-{zone}", short_hash(env.account_id), BUCKET_NAME_MAX)


def state_bucket(project: str, environment: str, project_id: str) -> str:
    return f"{project}-{environment}-tfstate-{short_hash(project_id)}"


def service_account_id(env: EnvironmentPlan, duty: str) -> str:
    return _fit(env.prefix, DUTIES[duty], SERVICE_ACCOUNT_ID_MAX)


def service_account_email(env: EnvironmentPlan, duty: str) -> str:
    return f"{service_account_id(env, duty)}@{env.account_id}.iam.gserviceaccount.com"


def repository_id(env: EnvironmentPlan) -> str:
    """The Artifact Registry (Docker) repository; images are <host>/<project id>/<repository>/<image>."""
    return env.prefix


def registry_host(env: EnvironmentPlan) -> str:
    return f"{env.region}-docker.pkg.dev"


def image_uri(env: EnvironmentPlan, image: str, tag: str) -> str:
    return f"{registry_host(env)}/{env.account_id}/{repository_id(env)}/{image}:{tag}"


def key_ring(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-keys"


def endpoint_id(env: EnvironmentPlan, endpoint: str) -> str:
    """Vertex AI endpoint ids are numeric, at most 10 digits, no leading zero: a stable hash of the name."""
    return str(1_000_000_000 + int(short_hash(f"{env.prefix}-{endpoint}", 12), 16) % 9_000_000_000)


def endpoint_display_name(env: EnvironmentPlan, endpoint: str) -> str:
    return f"{env.prefix}-{endpoint}"


# Landing-zone names (modules/gcp): every name the Terraform gives a resource comes from here.
KEY_PURPOSES = ("storage", "registry", "vertex", "compute", "logging", "pubsub", "sql")
WORKLOAD_IDENTITY_POOL_MAX = 32
CI_PROVIDER_ID = "github"


def network_name(env: EnvironmentPlan) -> str:
    return env.prefix


def subnet_name(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-workloads"


def crypto_key(env: EnvironmentPlan, purpose: str) -> str:
    """A key in the environment's key ring, one per purpose (KEY_PURPOSES)."""
    return f"{env.prefix}-{purpose}"


def crypto_key_id(env: EnvironmentPlan, purpose: str) -> str:
    return (
        f"projects/{env.account_id}/locations/{env.region}/keyRings/{key_ring(env)}/cryptoKeys/"
        f"{crypto_key(env, purpose)}"
    )


def state_key_ring(env: EnvironmentPlan) -> str:
    """The state bucket's own key ring (made by the bootstrap root, before the environment's)."""
    return f"{env.prefix}-tfstate"


def workload_identity_pool_id(env: EnvironmentPlan) -> str:
    """4-32 characters; a deleted pool keeps its id for 30 days, so the id is stable, not random."""
    return _fit(env.prefix, "ci", WORKLOAD_IDENTITY_POOL_MAX)


def instance_template_prefix(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-gpu-"


def gpu_group_name(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-gpu"


def tracking_service_name(env: EnvironmentPlan) -> str:
    """The Cloud Run service of the MLflow server (and its Cloud SQL instance)."""
    return f"{env.prefix}-mlflow"


def remote_repository_id(env: EnvironmentPlan) -> str:
    """Artifact Registry remote repository that proxies ghcr.io (the MLflow image)."""
    return f"{env.prefix}-ghcr"


def alert_topic(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-alerts"


def budget_topic(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-budget"


def budget_name(env: EnvironmentPlan) -> str:
    return f"{env.prefix}-monthly"


def _label_value(value: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", value.lower())[:LABEL_MAX]


def labels(env: EnvironmentPlan) -> dict[str, str]:
    """The plan's tags as GCP labels (lower case letters, digits, _ and -; at most 63 characters)."""
    return {_label_value(key): _label_value(value) for key, value in sorted(env.tags.items())}


def psc_forwarding_rule(env: EnvironmentPlan, endpoint: str) -> str:
    """The Private Service Connect forwarding rule (and its internal address) through which the VPC reaches
    a private endpoint; `mlgen release` prints the commands that make it."""
    return _fit(f"{env.prefix}-{endpoint}", "psc", 63)
