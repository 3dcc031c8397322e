"""The Azure resource types and attributes the ML policies read (see mlgen.clouds.policy_fact_types)."""

from __future__ import annotations

from mlgen.clouds.policy_fact_types import GpuCapacity, PolicyFacts

POLICY_FACTS = PolicyFacts(
    cloud="azure",
    # azurerm has no provider-level default tags: each resource carries its own.
    self_tagged_resources={
        "azurerm_resource_group": "tags",
        "azurerm_storage_account": "tags",
        "azurerm_key_vault": "tags",
        "azurerm_container_registry": "tags",
        "azurerm_machine_learning_workspace": "tags",
        "azurerm_machine_learning_compute_cluster": "tags",
        "azurerm_virtual_network": "tags",
        "azurerm_linux_virtual_machine_scale_set": "tags",
        "azurerm_log_analytics_workspace": "tags",
        "azurerm_application_insights": "tags",
    },
    gpu_instance_prefixes=("standard_nc", "standard_nd", "standard_nv"),
    gpu_capacity={
        "azurerm_machine_learning_compute_cluster": GpuCapacity(
            machine_attribute="vm_size", spot_values={"vm_priority": frozenset({"lowpriority", "spot"})}
        ),
        "azurerm_linux_virtual_machine_scale_set": GpuCapacity(
            machine_attribute="sku", spot_values={"priority": frozenset({"spot"})}
        ),
    },
    budget_notifications={
        "azurerm_consumption_budget_subscription": "notification",
        "azurerm_consumption_budget_resource_group": "notification",
    },
    budgeted_providers=("azurerm",),
    protected_resources=("azurerm_storage_account", "azurerm_key_vault", "azurerm_container_registry"),
    image_attributes={"azurerm_container_app": ("template.container.image",)},
)
