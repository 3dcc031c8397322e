"""Azure resource names and tags: the one source the landing zone (Terraform) and the ops commands share.

Storage accounts (3–24 lower-case letters and digits), Key Vaults (3–24, letters, digits, hyphens) and
container registries (5–50 letters and digits) have global names, so each carries a short hash of the
subscription id. A deleted Key Vault keeps its name while soft-deleted: docs/azure-landing-zone.md says how a
redeploy and the teardown deal with that.
"""

from __future__ import annotations

import hashlib
import re

from mlgen.plan import EnvironmentPlan

STORAGE_ACCOUNT_MAX = 24
KEY_VAULT_MAX = 24
REGISTRY_MAX = 50
# Where the landing zone writes the training-job defaults that `mlgen train submit` reads (JSON), in the
# artifacts container of the data storage account.
JOB_DEFAULTS_BLOB = "mlgen/job-defaults.json"
# One user-assigned managed identity per duty.
DUTIES = ("training", "serving", "data-scientist", "ci-plan", "ci-apply", "tracking")


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def resource_group(env: EnvironmentPlan) -> str:
    return f"rg-{env.prefix}"


def state_resource_group(env: EnvironmentPlan) -> str:
    return f"rg-{env.prefix}-tfstate"


def _global(kind: str, env: EnvironmentPlan, limit: int) -> str:
    """<kind><project+env, letters and digits only, shortened><6 hex of subscription+prefix>."""
    digest = short_hash(f"{env.account_id}/{env.prefix}")
    return f"{kind}{_alnum(env.prefix)[: limit - len(kind) - len(digest)]}{digest}"


def storage_account(env: EnvironmentPlan) -> str:
    """The data lake (ADLS Gen2) account; one container per storage zone."""
    return _global("st", env, STORAGE_ACCOUNT_MAX)


def state_storage_account(project: str, environment: str, subscription_id: str) -> str:
    digest = short_hash(f"{subscription_id}/{project}-{environment}/tfstate")
    return f"sttf{_alnum(project + environment)[: STORAGE_ACCOUNT_MAX - 4 - len(digest)]}{digest}"


def key_vault(env: EnvironmentPlan) -> str:
    return _global("kv", env, KEY_VAULT_MAX)


def container_registry(env: EnvironmentPlan) -> str:
    return _global("acr", env, REGISTRY_MAX)


def workspace(env: EnvironmentPlan) -> str:
    return f"mlw-{env.prefix}"


def compute_cluster(env: EnvironmentPlan) -> str:
    """Azure ML compute names are 2–16 characters: 'gpu-' + a hash of the prefix keeps them unique."""
    return f"gpu-{short_hash(env.prefix, 8)}"


def identity(env: EnvironmentPlan, duty: str) -> str:
    if duty not in DUTIES:
        raise KeyError(duty)
    return f"id-{env.prefix}-{duty}"


def online_endpoint(env: EnvironmentPlan, endpoint: str) -> str:
    """Managed online endpoint names are 3–32 characters and unique per region."""
    name = f"{env.prefix}-{endpoint}"
    return name if len(name) <= 32 else f"{name[:25].rstrip('-')}-{short_hash(name)}"


def tags(env: EnvironmentPlan) -> dict[str, str]:
    return dict(sorted(env.tags.items()))


# Landing-zone names (added with the Azure landing zone).
ENCRYPTION_IDENTITY_DUTY = "encryption"  # the identity storage, registry and workspace unwrap the CMK as
STATE_CONTAINER = "tfstate"


def encryption_identity(env: EnvironmentPlan) -> str:
    return f"id-{env.prefix}-cmk"


def virtual_network(env: EnvironmentPlan) -> str:
    return f"vnet-{env.prefix}"


def state_storage_account_id(env: EnvironmentPlan) -> str:
    """Resource id of the state account the bootstrap root creates (known before it exists)."""
    return (
        f"/subscriptions/{env.account_id}/resourceGroups/{state_resource_group(env)}/providers/"
        f"Microsoft.Storage/storageAccounts/{env.state.bucket}"
    )


def state_container_id(env: EnvironmentPlan) -> str:
    """Resource id of the state container the bootstrap root creates (known before it exists)."""
    return f"{state_storage_account_id(env)}/blobServices/default/containers/{STATE_CONTAINER}"


def flow_log_storage_account(env: EnvironmentPlan) -> str:
    """The VNet flow log's own account (modules/azure/flow_logs says why not the lake); its own hash input,
    so it can never take the lake's name."""
    digest = short_hash(f"{env.account_id}/{env.prefix}/flow-logs")
    return f"stfl{_alnum(env.prefix)[: STORAGE_ACCOUNT_MAX - 4 - len(digest)]}{digest}"


# Azure enables Network Watcher by itself when a subscription's first VNet of a region is created: one watcher
# per region and subscription, NetworkWatcher_<region> in NetworkWatcherRG (a second one cannot be created).
NETWORK_WATCHER_RESOURCE_GROUP = "NetworkWatcherRG"


def network_watcher(env: EnvironmentPlan) -> str:
    return f"NetworkWatcher_{env.region}"


def flow_log(env: EnvironmentPlan) -> str:
    """The VNet flow log, a child of the region's Network Watcher (unique within it)."""
    return f"fl-{virtual_network(env)}"


def state_key_vault(project: str, environment: str, subscription_id: str) -> str:
    """The bootstrap's vault, holding the state account's customer-managed key (global name: a hash)."""
    digest = short_hash(f"{subscription_id}/{project}-{environment}/tfstate-kv")
    return f"kvtf{_alnum(project + environment)[: KEY_VAULT_MAX - 4 - len(digest)]}{digest}"


def state_key_vault_id(project: str, env: EnvironmentPlan) -> str:
    """Resource id of the bootstrap's vault (known before it exists)."""
    return (
        f"/subscriptions/{env.account_id}/resourceGroups/{state_resource_group(env)}/providers/"
        f"Microsoft.KeyVault/vaults/{state_key_vault(project, env.name, env.account_id)}"
    )


def state_encryption_identity(env: EnvironmentPlan) -> str:
    return f"id-{env.prefix}-tfstate-cmk"


CMK_KEY_NAME = "cmk"  # the environment key in naming.key_vault (modules/azure/key_vault names it so)


def cmk_key_url(env: EnvironmentPlan) -> str:
    """Versionless URL of the environment key: services that take it follow every rotation."""
    return f"https://{key_vault(env)}.vault.azure.net/keys/{CMK_KEY_NAME}"


# --- ops helpers (mlgen.clouds.azure.ops) ---------------------------------------------------------------

# Container names in the registry: one registry per environment, so no prefix (the job defaults'
# image_uri is <registry>.azurecr.io/training:<tag>).
IMAGE_REPOSITORIES = ("training", "serving")
# The data lake container the job defaults and release files live in.
ARTIFACTS_CONTAINER = "artifacts"


def image_repository(image: str) -> str:
    if image not in IMAGE_REPOSITORIES:
        raise KeyError(image)
    return image


def online_deployment(image_tag: str, model_id: str, variant: str = "") -> str:
    """One deployment per release of a variant (image and model): 'r-' + a hash, within the 3–32
    characters allowed. The same release always gets the same name, so re-running a release finds the
    deployment it made; a variant's name joins the hash so two variants never share a deployment."""
    key = f"{image_tag}|{model_id}" + (f"|{variant}" if variant else "")
    return f"r-{short_hash(key, 12)}"


def datastore(zone: str) -> str:
    """The Azure ML datastore of a lake container (one per storage zone). Job outputs must be datastore paths,
    azureml://datastores/<name>/paths/<path>; 'lake_' keeps clear of the workspace's own datastores
    (workspaceblobstore, ...), and Azure ML datastore names take letters, digits and underscores."""
    return f"lake_{zone.replace('-', '_')}"


def datastore_uri(zone: str, path: str) -> str:
    """A folder in a lake container as a datastore path (what Azure ML jobs accept for outputs)."""
    return f"azureml://datastores/{datastore(zone)}/paths/{path.strip('/')}/"


def autoscale_setting(endpoint: str, deployment: str) -> str:
    """The Azure Monitor autoscale setting of one online deployment (``endpoint`` is the online endpoint's
    name): one per deployment, so deleting a deployment's release removes exactly its own setting."""
    return f"autoscale-{endpoint}-{deployment}"
