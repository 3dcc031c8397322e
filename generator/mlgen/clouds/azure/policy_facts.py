"""The Azure resource types and attributes the ML policies read (see mlgen.clouds.policy_fact_types).

Checked against the bundled azurerm 4.55.0 schema by tests/policy/test_policy_facts.py. azurerm 4.55
has no online-endpoint resource (Azure ML online endpoints and deployments are azapi resources);
azapi has no bundled schema and its `type` decides what a block is, so no policy reads azapi blocks.
"""

from __future__ import annotations

from mlgen.clouds.policy_fact_types import (
    BudgetNotifications,
    CustomerKey,
    EndpointScaling,
    GpuCapacity,
    PolicyFacts,
    RoleDefinitions,
)

_BUDGET = BudgetNotifications(
    block="notification", recipients=("contact_emails", "contact_groups", "contact_roles")
)

POLICY_FACTS = PolicyFacts(
    cloud="azure",
    providers=("azurerm",),
    # azurerm has no provider-level default tags: each resource carries its own.
    self_tagged_resources={
        "azurerm_resource_group": "tags",
        "azurerm_storage_account": "tags",
        "azurerm_key_vault": "tags",
        "azurerm_key_vault_key": "tags",
        "azurerm_container_registry": "tags",
        "azurerm_machine_learning_workspace": "tags",
        "azurerm_machine_learning_compute_cluster": "tags",
        "azurerm_machine_learning_compute_instance": "tags",
        "azurerm_machine_learning_datastore_datalake_gen2": "tags",
        "azurerm_virtual_network": "tags",
        "azurerm_network_security_group": "tags",
        "azurerm_network_watcher_flow_log": "tags",
        "azurerm_nat_gateway": "tags",
        "azurerm_public_ip": "tags",
        "azurerm_private_endpoint": "tags",
        "azurerm_user_assigned_identity": "tags",
        "azurerm_linux_virtual_machine_scale_set": "tags",
        "azurerm_log_analytics_workspace": "tags",
        "azurerm_application_insights": "tags",
        "azurerm_monitor_action_group": "tags",
        "azurerm_monitor_metric_alert": "tags",
        "azurerm_monitor_autoscale_setting": "tags",
        "azurerm_postgresql_flexible_server": "tags",
        "azurerm_container_app_environment": "tags",
        "azurerm_container_app": "tags",
    },
    # NC/ND: compute GPUs (T4, A100, H100); NV: visualisation GPUs, still GPU capacity.
    gpu_instance_prefixes=("standard_nc", "standard_nd", "standard_nv"),
    gpu_capacity={
        # Azure ML compute clusters know only Dedicated and LowPriority (Azure ML's spot).
        "azurerm_machine_learning_compute_cluster": GpuCapacity(
            machine_attribute="vm_size", spot_values={"vm_priority": frozenset({"lowpriority", "spot"})}
        ),
        "azurerm_linux_virtual_machine_scale_set": GpuCapacity(
            machine_attribute="sku", spot_values={"priority": frozenset({"spot"})}
        ),
    },
    # Managed online endpoints scale through Azure Monitor autoscale; every autoscale profile is judged:
    # an unbounded autoscale is an unbounded bill whatever it scales.
    endpoint_autoscaling={
        "azurerm_monitor_autoscale_setting": EndpointScaling(
            max_attribute="profile.capacity.maximum", min_attribute="profile.capacity.minimum", repeats=True
        )
    },
    budget_notifications={
        "azurerm_consumption_budget_subscription": _BUDGET,
        "azurerm_consumption_budget_resource_group": _BUDGET,
    },
    budgeted_providers=("azurerm",),
    customer_keys={
        # Like S3, a storage account's CMK can be a separate resource that references the account.
        "azurerm_storage_account": CustomerKey(
            key_attributes=("key_vault_key_id", "managed_hsm_key_id"),
            block="customer_managed_key",
            encrypted_by="azurerm_storage_account_customer_managed_key",
        ),
        "azurerm_storage_account_customer_managed_key": CustomerKey(
            key_attributes=("key_name", "managed_hsm_key_id")
        ),
        "azurerm_container_registry": CustomerKey(key_attributes=("key_vault_key_id",), block="encryption"),
        # the MLflow tracking database
        "azurerm_postgresql_flexible_server": CustomerKey(
            key_attributes=("key_vault_key_id",), block="customer_managed_key"
        ),
    },
    key_service="Key Vault",
    protected_resources=(
        "azurerm_storage_account",
        "azurerm_key_vault",
        "azurerm_key_vault_key",
        "azurerm_container_registry",
        "azurerm_postgresql_flexible_server",
    ),
    # Resource-provider namespaces that hold data or keys; Azure actions read "<namespace>/<type>/<verb>".
    data_services=frozenset(
        {
            "microsoft.storage",
            "microsoft.keyvault",
            "microsoft.containerregistry",
            "microsoft.machinelearningservices",
            "microsoft.dbforpostgresql",
        }
    ),
    action_separator="/",
    role_definitions={
        "azurerm_role_definition": RoleDefinitions(
            block="permissions", action_attributes=("actions", "data_actions")
        )
    },
    role_grants={"azurerm_role_assignment": "role_definition_name"},
    # Built-in roles whose definition is `*` (Owner, Contributor) or a data service's `<namespace>/*`.
    wildcard_roles=frozenset(
        {
            "owner",
            "contributor",
            "storage blob data owner",
            "key vault administrator",
            "key vault crypto officer",
        }
    ),
    image_attributes={
        "azurerm_container_app": ("template.container.image",),
        "azurerm_container_app_job": ("template.container.image",),
    },
    coverage_notes={
        "MLG001": "azapi resources (Azure ML online endpoints and deployments) are not judged: azapi has no "
        "bundled schema and its `type` decides whether a block takes tags; give them the environment's tags.",
        "MLG003": "azapi online deployments are not judged on their own scale settings. Judged instead: Azure "
        "Monitor autoscale settings and the serving module call's max_replicas.",
        "MLG008": "images of azapi Azure ML environments are not judged. Judged instead: the serving module "
        "call's image inputs, Container Apps and the Dockerfiles.",
    },
    fix_hints={
        "MLG001": "azurerm has no provider-level default tags: set tags = the environment's five tags "
        "(project, environment, owner, cost-center, managed-by) on every resource, e.g. through a tags "
        "module input.",
        "MLG002": 'Use low-priority capacity outside prod: vm_priority = "LowPriority" on Azure ML compute '
        'clusters, priority = "Spot" on scale sets (training.spot in mlgen.yaml).',
        "MLG003": "Set every autoscale profile's capacity.maximum to an explicit number no larger than 100 and "
        "not below its minimum (serving.endpoints[].max_replicas in mlgen.yaml).",
        "MLG004": "Add an azurerm_consumption_budget_resource_group (or _subscription) to each environment root "
        "with a notification naming contact_emails, contact_groups or contact_roles (budgets.emails).",
        "MLG005": "Encrypt with the environment's Key Vault key: an azurerm_storage_account_customer_managed_key "
        "(or a customer_managed_key block) for storage accounts, encryption { key_vault_key_id } on "
        "container registries, customer_managed_key on PostgreSQL flexible servers.",
        "MLG006": "In the prod root pass deletion_protection = true to the storage, key_vault, registry and "
        "state modules; resources declared directly in a prod root need lifecycle { prevent_destroy = true }.",
        "MLG007": "Assign the narrowest built-in role (Storage Blob Data Reader/Contributor, Key Vault Crypto "
        "Service Encryption User, AcrPull) and list actions in custom roles instead of * or "
        "<namespace>/* (Microsoft.Storage/*).",
        "MLG008": "Reference images by an explicit version tag or a digest (image:1.2.3 or image@sha256:...), "
        "in Dockerfiles (FROM), Container Apps and the serving module's image inputs.",
    },
)
