"""The landing-zone root of one Azure environment: which modules it calls, with which values.

The one place that maps the plan's cloud-neutral choices onto the inputs of modules/azure/*. Every name
comes from naming.py, which the ops commands read too.
"""

from __future__ import annotations

from typing import Any

from mlgen.clouds.azure import catalog, naming
from mlgen.clouds.azure.root_blocks import TERRAFORM_VERSION, azurerm_provider, outputs, terraform_root
from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Expr, Ref
from mlgen.render.root_model import Backend, DataSource, ModuleCall, Output, RootModule, Validation, Variable

MODULES = "../../modules/azure"
PRIVATE_DNS_ZONES = (
    "privatelink.api.azureml.ms",
    "privatelink.azurecr.io",
    "privatelink.blob.core.windows.net",
    "privatelink.dfs.core.windows.net",
    "privatelink.notebooks.azure.net",
    "privatelink.vaultcore.azure.net",
)
# Idle nodes wait this long before the cluster scales them away (ISO 8601): short, because GPU nodes bill by
# the minute, yet long enough for a resubmitted job to reuse the warm node.
IDLE_SCALE_DOWN = "PT10M"
# /dev/shm for training containers: PyTorch data loaders need far more than Docker's 64m.
TRAINING_SHM_SIZE = "16g"
# The zone whose train/ prefix is mounted as the job's "train" input, first one the spec has.
TRAINING_DATA_ZONES = ("features", "processed", "raw")

COMMON_INPUTS = {
    "project": Ref("local.project"),
    "environment": Ref("local.environment"),
    "tags": Ref("local.tags"),
}
PLACED = {
    **COMMON_INPUTS,
    "location": Ref("local.location"),
    "resource_group_name": Ref("module.resource_group.name"),
}
DIAGNOSTICS = {"log_analytics_workspace_id": Ref("module.monitoring.log_analytics_workspace_id")}
PRIVATE_ENDPOINTS = {
    "private_endpoint_subnet_id": Ref("module.network.endpoints_subnet_id"),
    "private_dns_zone_ids": Ref("module.network.private_dns_zone_ids"),
}


def _call(
    name: str, component: str, inputs: dict[str, Any], meta: dict[str, Any] | None = None
) -> ModuleCall:
    return ModuleCall(name, f"{MODULES}/{component}", {**PLACED, **inputs}, meta=meta or {})


# Modules encrypted with the environment key get its URL as a literal (naming.cmk_key_url) and wait for the
# whole key_vault module (the key and the encryption identity's role on it). A reference to the key_vault
# module's key_id output would do the same for Terraform, but checkov then stops resolving those modules'
# variables (their tags read as "var.tags" and fail MLG001); so does a reference to an output of a module
# that has depends_on.
AFTER_THE_KEY = {"depends_on": [Ref("module.key_vault")]}


def _resource_group(env: EnvironmentPlan) -> ModuleCall:
    inputs = {**COMMON_INPUTS, "location": Ref("local.location"), "name": naming.resource_group(env)}
    inputs["deletion_protection"] = env.deletion_protection
    return ModuleCall("resource_group", f"{MODULES}/resource_group", inputs)


def _monitoring(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "monitoring",
        "monitoring",
        {
            "name_suffix": env.prefix,
            "log_retention_days": env.monitoring.log_retention_days,
            "emails": list(env.monitoring.emails),
        },
    )


def _identities(env: EnvironmentPlan) -> ModuleCall:
    names = {duty: naming.identity(env, duty) for duty in naming.DUTIES}
    names[naming.ENCRYPTION_IDENTITY_DUTY] = naming.encryption_identity(env)
    return _call("identities", "identities", {"identity_names": dict(sorted(names.items()))})


def _access(project: str, env: EnvironmentPlan) -> ModuleCall:
    ci = env.access.ci
    return ModuleCall(
        "access",
        f"{MODULES}/access",
        {
            "project": Ref("local.project"),
            "environment": Ref("local.environment"),
            "resource_group_name": Ref("module.resource_group.name"),
            "identity_ids": Ref("module.identities.ids"),
            "principal_ids": Ref("module.identities.principal_ids"),
            "client_ids": Ref("module.identities.client_ids"),
            "resource_group_id": Ref("module.resource_group.id"),
            "storage_account_id": Ref("module.storage.id"),
            "artifacts_container_id": Ref('module.storage.container_ids["artifacts"]'),
            "state_container_id": naming.state_container_id(env),
            "state_storage_account_id": naming.state_storage_account_id(env),
            "state_key_vault_id": naming.state_key_vault_id(project, env),
            "registry_id": Ref("module.registry.id"),
            "workspace_id": Ref("module.machine_learning.workspace_id"),
            "key_vault_id": Ref("module.key_vault.id"),
            "network_watcher_id": _network_watcher_id(env),
            "data_scientist_principal_ids": list(env.access.data_scientist_principals),
            # Plans for pull requests and the listed branches; applies only in the GitHub environment named
            # after this environment, whose required reviewers approve each run.
            "ci": None
            if ci is None
            else {"repository": ci.repository, "branches": list(ci.branches), "environments": [env.name]},
        },
    )


def _encryption(attribute: str) -> Ref:
    return Ref(f'module.identities.{attribute}["{naming.ENCRYPTION_IDENTITY_DUTY}"]')


def _key_vault(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "key_vault",
        "key_vault",
        {
            **DIAGNOSTICS,
            **PRIVATE_ENDPOINTS,
            "name": naming.key_vault(env),
            # The spec's key deletion window is how long a deleted key stays recoverable; on Azure that is the
            # vault's soft-delete retention (7-90 days).
            "soft_delete_retention_days": env.encryption.key_deletion_window_days,
            "encryption_principal_ids": {"encryption": _encryption("principal_ids")},
            "allowed_ip_ranges": Ref("var.deployer_ip_ranges"),
            "deletion_protection": env.deletion_protection,
        },
    )


def _network(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "network",
        "network",
        {
            **DIAGNOSTICS,
            "name": naming.virtual_network(env),
            "cidr": env.network.cidr,
            "private_dns_zones": list(PRIVATE_DNS_ZONES),
        },
    )


def _flow_logs(env: EnvironmentPlan) -> ModuleCall:
    # The flow log goes into the Network Watcher's resource group, its storage account into the environment's.
    return _call(
        "flow_logs",
        "flow_logs",
        {
            "name": naming.flow_log(env),
            "storage_account_name": naming.flow_log_storage_account(env),
            "retention_days": env.network.flow_log_retention_days,
            "key_id": naming.cmk_key_url(env),
            "encryption_identity_id": _encryption("ids"),
            "network_watcher_name": Ref("var.network_watcher_name"),
            "network_watcher_resource_group_name": Ref("var.network_watcher_resource_group_name"),
            "vnet_id": Ref("module.network.vnet_id"),
            "log_analytics_workspace_id": Ref("module.monitoring.log_analytics_workspace_id"),
            "log_analytics_workspace_guid": Ref("module.monitoring.log_analytics_workspace_guid"),
        },
        AFTER_THE_KEY,
    )


def _state_diagnostics(project: str, env: EnvironmentPlan) -> ModuleCall:
    # The bootstrap is applied before this workspace exists, so the state account's and the state vault's
    # diagnostic settings are made here, from ids naming.py knows before the bootstrap creates them.
    return ModuleCall(
        "state_diagnostics",
        f"{MODULES}/state_diagnostics",
        {
            **DIAGNOSTICS,
            "storage_account_id": naming.state_storage_account_id(env),
            "key_vault_id": naming.state_key_vault_id(project, env),
        },
    )


def _network_watcher_id(env: EnvironmentPlan) -> Expr:
    return Expr(
        f'"/subscriptions/{env.account_id}/resourceGroups/${{var.network_watcher_resource_group_name}}'
        '/providers/Microsoft.Network/networkWatchers/${var.network_watcher_name}"'
    )


def _storage(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "storage",
        "storage",
        {
            **DIAGNOSTICS,
            **PRIVATE_ENDPOINTS,
            "name": naming.storage_account(env),
            "zones": sorted(env.storage.zones),
            "replication_type": "ZRS",
            "soft_delete_retention_days": env.storage.noncurrent_version_expiration_days,
            "transition_to_cool_days": env.storage.transition_to_ia_days,
            "key_id": naming.cmk_key_url(env),
            "encryption_identity_id": _encryption("ids"),
            "allowed_ip_ranges": Ref("var.deployer_ip_ranges"),
            "deletion_protection": env.deletion_protection,
        },
        AFTER_THE_KEY,
    )


def _registry(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "registry",
        "registry",
        {
            **DIAGNOSTICS,
            **PRIVATE_ENDPOINTS,
            "name": naming.container_registry(env),
            "key_id": naming.cmk_key_url(env),
            "encryption_identity_id": _encryption("ids"),
            "encryption_identity_client_id": _encryption("client_ids"),
            "allowed_ip_ranges": Ref("var.deployer_ip_ranges"),
            "deletion_protection": env.deletion_protection,
        },
        AFTER_THE_KEY,
    )


def training_size(env: EnvironmentPlan) -> str:
    return catalog.training_size(env.training.gpu, env.training.gpus_per_node)


def _job_defaults(env: EnvironmentPlan) -> dict[str, Any]:
    """The keys of clouds/azure/ops/job_defaults.py the module does not set from its own resources."""
    training = env.training
    data_zone = next((zone for zone in TRAINING_DATA_ZONES if zone in env.storage.zones), None)
    return {
        "subscription_id": env.account_id,
        "resource_group": naming.resource_group(env),
        "location": env.region,
        "gpus_per_instance": training.gpus_per_node,
        "instance_count": training.nodes,
        "image_uri": Expr('"${module.registry.login_server}/training:${var.training_image_tag}"'),
        "distribution_type": "PyTorch",
        "process_count_per_instance": training.gpus_per_node,
        "identity_client_id": Ref('module.identities.client_ids["training"]'),
        # Datastore paths: Azure ML accepts no other kind for outputs (abfss:// is input-only); the input uses
        # one too, so every URI in the document names a datastore this module registers.
        "training_data_uri": naming.datastore_uri(data_zone, "train") if data_zone else None,
        "model_output_uri": naming.datastore_uri("artifacts", "models"),
        "checkpoint_uri": naming.datastore_uri("artifacts", "checkpoints"),
        "output_uri": naming.datastore_uri("artifacts", "jobs"),
        "max_runtime_seconds": training.max_runtime_hours * 3600,
        "shm_size": TRAINING_SHM_SIZE,
    }


def _machine_learning(env: EnvironmentPlan) -> ModuleCall:
    return _call(
        "machine_learning",
        "machine_learning",
        {
            **DIAGNOSTICS,
            **PRIVATE_ENDPOINTS,
            "name": naming.workspace(env),
            "application_insights_id": Ref("module.monitoring.application_insights_id"),
            "key_vault_id": Ref("module.key_vault.id"),
            "key_id": naming.cmk_key_url(env),
            "storage_account_id": Ref("module.storage.id"),
            "storage_account_name": Ref("module.storage.name"),
            "container_registry_id": Ref("module.registry.id"),
            "encryption_identity_id": _encryption("ids"),
            "training_identity_id": Ref('module.identities.ids["training"]'),
            "allowed_outbound_fqdns": Ref("var.allowed_outbound_fqdns"),
            "compute": {
                "name": naming.compute_cluster(env),
                "vm_size": training_size(env),
                "spot": env.training.spot,
                "max_nodes": env.training.nodes,
                "idle_scale_down": IDLE_SCALE_DOWN,
            },
            "datastores": {
                naming.datastore(zone): Ref(f'module.storage.container_ids["{zone}"]')
                for zone in sorted(env.storage.zones)
            },
            "job_defaults_blob": naming.JOB_DEFAULTS_BLOB,
            "job_defaults": _job_defaults(env),
        },
        AFTER_THE_KEY,
    )


def _serving(env: EnvironmentPlan) -> ModuleCall:
    # auth comes from the spec (identity by default: Entra ID tokens, no keys to leak); the spec has no
    # exposure field: with private endpoints, scoring goes only through the workspace's private endpoint.
    endpoints = {
        endpoint.name: {
            "name": naming.online_endpoint(env, endpoint.name),
            "auth_mode": catalog.ENDPOINT_AUTH_MODES[endpoint.auth],
            "public_network_access": not env.network.private_endpoints,
        }
        for endpoint in env.serving.endpoints
    }
    return _call(
        "serving",
        "serving",
        {
            **DIAGNOSTICS,
            "workspace_name": naming.workspace(env),
            "serving_identity_id": Ref('module.identities.ids["serving"]'),
            "endpoints": endpoints,
            "p99_latency_ms": env.monitoring.p99_latency_ms,
            "error_rate_percent": env.monitoring.error_rate_percent,
            "action_group_id": Ref("module.monitoring.action_group_id"),
        },
        # The endpoints belong to the workspace; its name is a literal for the reason AFTER_THE_KEY gives.
        {"depends_on": [Ref("module.machine_learning")]},
    )


def _budgets(env: EnvironmentPlan) -> ModuleCall:
    return ModuleCall(
        "budgets",
        f"{MODULES}/budgets",
        {
            "project": Ref("local.project"),
            "environment": Ref("local.environment"),
            "name_suffix": env.prefix,
            "resource_group_id": Ref("module.resource_group.id"),
            "monthly_amount": env.budgets.monthly_amount,
            "thresholds": list(env.budgets.thresholds),
            "emails": list(env.budgets.emails),
            "action_group_id": Ref("module.monitoring.action_group_id"),
        },
    )


def root_locals(project: str, env: EnvironmentPlan) -> dict[str, Any]:
    return {"project": project, "environment": env.name, "location": env.region, "tags": naming.tags(env)}


def _variables(env: EnvironmentPlan) -> tuple[Variable, ...]:
    return (
        Variable(
            "training_image_tag",
            description="Tag of the training image in the registry's training repository that jobs run.",
            type=Expr("string"),
            default="v1",
            validations=(
                Validation(
                    Expr('var.training_image_tag != "latest"'),
                    "Tags are immutable: use a versioned tag, not latest.",
                ),
            ),
        ),
        Variable(
            "deployer_ip_ranges",
            description=(
                "Public IP ranges (CIDR) of whoever applies from outside the VNet: the vault, the lake and the "
                "registry deny every other network, and the apply creates the key and writes the job-defaults "
                "blob through their data planes. Empty: apply from inside the VNet (a self-hosted runner)."
            ),
            type=Expr("list(string)"),
            default=[],
            validations=(
                Validation(
                    Expr("alltrue([for range in var.deployer_ip_ranges : can(cidrhost(range, 0))])"),
                    "deployer_ip_ranges must be CIDR ranges.",
                ),
            ),
        ),
        Variable(
            "network_watcher_name",
            description=(
                "The region's Network Watcher, parent of the VNet flow log. Azure creates "
                "NetworkWatcher_<region> in NetworkWatcherRG by itself (one per region and subscription; a "
                "second cannot be created): change this only where the subscription keeps it elsewhere."
            ),
            type=Expr("string"),
            default=naming.network_watcher(env),
            validations=(
                Validation(
                    Expr(
                        'can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,78}[A-Za-z0-9_]$", var.network_watcher_name))'
                    ),
                    "network_watcher_name must be 2-80 letters, digits, '.', '_' or '-'.",
                ),
            ),
        ),
        Variable(
            "network_watcher_resource_group_name",
            description="Resource group of the Network Watcher (NetworkWatcherRG where Azure created it).",
            type=Expr("string"),
            default=naming.NETWORK_WATCHER_RESOURCE_GROUP,
            validations=(
                Validation(
                    Expr('can(regex("^[A-Za-z0-9._()-]{1,90}$", var.network_watcher_resource_group_name))'),
                    "network_watcher_resource_group_name must be 1-90 letters, digits, '.', '_', '-', '(' or ')'.",
                ),
            ),
        ),
        Variable(
            "allowed_outbound_fqdns",
            description=(
                "Host names training jobs may reach from the workspace's managed network (e.g. pypi.org). "
                "Any entry makes Azure ML deploy a managed Azure Firewall, which bills by the hour."
            ),
            type=Expr("list(string)"),
            default=[],
            validations=(
                Validation(
                    Expr("length(var.allowed_outbound_fqdns) <= 100"),
                    "At most 100 outbound FQDN rules.",
                ),
            ),
        ),
    )


def _outputs(env: EnvironmentPlan) -> tuple[Output, ...]:
    triples = [
        ("resource_group_name", "module.resource_group.name", "The environment's resource group."),
        (
            "tenant_id",
            "data.azurerm_client_config.current.tenant_id",
            "Entra ID tenant (azure/login tenant-id).",
        ),
        ("key_vault_id", "module.key_vault.id", "Key Vault with the environment's customer-managed key."),
        ("vnet_id", "module.network.vnet_id", "The environment's VNet."),
        ("flow_log_id", "module.flow_logs.id", "The VNet flow log (under the region's Network Watcher)."),
        ("storage_account_name", "module.storage.name", "Data lake (ADLS Gen2) account."),
        ("container_names", "module.storage.container_names", "Data lake containers by zone."),
        ("registry_login_server", "module.registry.login_server", "Container registry login server."),
        ("workspace_name", "module.machine_learning.workspace_name", "Azure ML workspace."),
        ("compute_name", "module.machine_learning.compute_name", "GPU compute cluster training jobs run on."),
        (
            "training_job_defaults_blob",
            "module.machine_learning.job_defaults_blob",
            "Blob (artifacts container) with the training-job defaults `mlgen train submit` reads.",
        ),
        ("identity_client_ids", "module.identities.client_ids", "Managed identity client ids by duty."),
        (
            "ci_plan_client_id",
            "module.access.ci_plan_client_id",
            "Client id pull requests log in as through OIDC to plan (null without access.ci).",
        ),
        (
            "ci_apply_client_id",
            "module.access.ci_apply_client_id",
            "Client id the approved apply job logs in as (null without access.ci).",
        ),
        ("action_group_id", "module.monitoring.action_group_id", "Action group that receives the alerts."),
        ("budget_name", "module.budgets.budget_name", "Name of the monthly budget."),
    ]
    if env.serving.endpoints:
        triples.append(("endpoint_names", "module.serving.endpoint_names", "Online endpoint names by key."))
    return outputs(triples)


def environment_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    calls = [
        _resource_group(env),
        _monitoring(env),
        _identities(env),
        _key_vault(env),
        _network(env),
        _storage(env),
        _flow_logs(env),
        _registry(env),
        _machine_learning(env),
        _state_diagnostics(project, env),
    ]
    if env.serving.endpoints:
        calls.append(_serving(env))
    calls += [_access(project, env), _budgets(env)]
    backend = {
        "resource_group_name": naming.state_resource_group(env),
        "storage_account_name": env.state.bucket,
        "container_name": naming.STATE_CONTAINER,
        "key": env.state.key,
        "subscription_id": env.account_id,
        # Shared keys are off on the state account: the backend authenticates with Entra ID.
        "use_azuread_auth": True,
    }
    return terraform_root(
        RootModule(
            directory=f"infra/envs/{env.name}",
            required_version=TERRAFORM_VERSION,
            providers=(azurerm_provider(env),),
            backend=Backend("azurerm", backend),
            locals=root_locals(project, env),
            data_sources=(DataSource("azurerm_client_config", "current", {}),),
            variables=_variables(env),
            modules=tuple(calls),
            outputs=_outputs(env),
        )
    )
