resource "azurerm_machine_learning_workspace" "this" {
  #checkov:skip=CKV2_AZURE_50:The workspace's storage is the storage module's lake (public network access off, private endpoints only); checkov cannot follow the account across modules.
  name                            = var.name
  location                        = var.location
  resource_group_name             = var.resource_group_name
  application_insights_id         = var.application_insights_id
  key_vault_id                    = var.key_vault_id
  storage_account_id              = var.storage_account_id
  container_registry_id           = var.container_registry_id
  high_business_impact            = true # less diagnostic data collected by Microsoft, encrypted local scratch
  public_network_access_enabled   = false
  v1_legacy_mode_enabled          = false
  service_side_encryption_enabled = true
  sku_name                        = "Basic"
  tags                            = var.tags

  # The system-assigned identity is the workspace's own (Azure ML grants it what it needs on the lake, vault,
  # registry and Application Insights when it creates the workspace); the encryption identity only unwraps
  # the CMK, for which the key_vault module has already given it its role.
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [var.encryption_identity_id]
  }

  encryption {
    key_vault_id              = var.key_vault_id
    key_id                    = var.key_id
    user_assigned_identity_id = var.encryption_identity_id
  }

  # Jobs run in the workspace's managed network: only approved outbound (the rules below plus the private
  # endpoints Azure ML makes to the workspace's own storage, vault and registry).
  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
}

# Outbound FQDN rules make Azure ML deploy a managed Azure Firewall, which bills by the hour: none by default
# (the images come from the private registry).
resource "azurerm_machine_learning_workspace_network_outbound_rule_fqdn" "allowed" {
  for_each = toset(var.allowed_outbound_fqdns)

  name             = "fqdn-${substr(md5(each.value), 0, 8)}"
  workspace_id     = azurerm_machine_learning_workspace.this.id
  destination_fqdn = each.value
}

resource "azurerm_private_endpoint" "workspace" {
  name                = "pe-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "amlworkspace"
    private_connection_resource_id = azurerm_machine_learning_workspace.this.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name = "amlworkspace"
    private_dns_zone_ids = [
      var.private_dns_zone_ids["privatelink.api.azureml.ms"],
      var.private_dns_zone_ids["privatelink.notebooks.azure.net"],
    ]
  }
}

# The GPU cluster scales to zero when idle. Azure ML's preemptible tier is vm_priority "LowPriority" (the only
# non-dedicated value the compute API and azurerm accept); README "Spot and low priority".
resource "azurerm_machine_learning_compute_cluster" "gpu" {
  name                          = var.compute.name
  location                      = var.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.this.id
  vm_size                       = var.compute.vm_size
  vm_priority                   = var.compute.spot ? "LowPriority" : "Dedicated"
  local_auth_enabled            = false
  node_public_ip_enabled        = false
  ssh_public_access_enabled     = false
  description                   = "mlgen training cluster (${var.compute.vm_size})."
  tags                          = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.training_identity_id]
  }

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = var.compute.max_nodes
    scale_down_nodes_after_idle_duration = var.compute.idle_scale_down
  }
}

# One datastore per lake container: Azure ML accepts only datastore paths as job outputs
# (azureml://datastores/<name>/paths/<path>). No credentials are stored: the datastores are identity-based, so
# a job reads and writes as its own identity (the training identity, Storage Blob Data Contributor on the lake).
resource "azurerm_machine_learning_datastore_datalake_gen2" "zone" {
  for_each = var.datastores

  name                 = each.key
  workspace_id         = azurerm_machine_learning_workspace.this.id
  storage_container_id = each.value
  description          = "mlgen: a container of the environment's lake, identity-based"
  tags                 = var.tags
}

# What `mlgen train submit` needs that the plan cannot derive (clouds/azure/ops/job_defaults.py): ids Azure
# assigns, the image, the sizes. Written with Entra ID (the provider's storage_use_azuread); the lake's network
# default deny means the deployer must be inside the VNet or in the lake's allowed_ip_ranges.
resource "azurerm_storage_blob" "job_defaults" {
  # The document's URIs name the datastores: they exist before a job can read it.
  depends_on = [azurerm_machine_learning_datastore_datalake_gen2.zone]

  name                   = var.job_defaults_blob
  storage_account_name   = var.storage_account_name
  storage_container_name = "artifacts"
  type                   = "Block"
  content_type           = "application/json"
  source_content = jsonencode(merge(var.job_defaults, {
    schema_version       = 1
    compute_name         = azurerm_machine_learning_compute_cluster.gpu.name
    workspace_name       = azurerm_machine_learning_workspace.this.name
    vm_size              = var.compute.vm_size
    spot                 = var.compute.spot
    max_instance_count   = var.compute.max_nodes
    identity_resource_id = var.training_identity_id
  }))
}

resource "azurerm_monitor_diagnostic_setting" "workspace" {
  name                       = "mlgen-logs"
  target_resource_id         = azurerm_machine_learning_workspace.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
