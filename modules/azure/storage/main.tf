# The data lake: one ADLS Gen2 account (hierarchical namespace) with a container per zone. No public access,
# no shared keys (Entra ID only), the environment CMK, network default deny with private endpoints for blob
# and dfs.
resource "azurerm_storage_account" "lake" {
  #checkov:skip=CKV_AZURE_33:Queue logging does not apply: the lake holds blobs only (no queues).
  #checkov:skip=CKV_AZURE_206:Replication is the replication_type input (ZRS by default; GZRS for geo-redundancy).
  name                            = var.name
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = var.replication_type
  is_hns_enabled                  = true
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  # Off unless deployer ranges are given: Azure applies IP rules only while public access is on.
  public_network_access_enabled     = length(var.allowed_ip_ranges) > 0
  cross_tenant_replication_enabled  = false
  infrastructure_encryption_enabled = true
  local_user_enabled                = false
  sftp_enabled                      = false
  tags                              = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.encryption_identity_id]
  }

  customer_managed_key {
    key_vault_key_id          = var.key_id
    user_assigned_identity_id = var.encryption_identity_id
  }

  # No versioning_enabled: hierarchical-namespace accounts do not support blob versioning (sources: README).
  # Soft delete keeps deleted and overwritten data (and deleted containers) recoverable instead.
  blob_properties {
    delete_retention_policy {
      days = var.soft_delete_retention_days
    }

    container_delete_retention_policy {
      days = var.soft_delete_retention_days
    }
  }

  network_rules {
    default_action = "Deny"
    # Azure ML (a trusted service) and the diagnostic pipeline reach the lake through the bypass.
    bypass   = ["AzureServices", "Logging", "Metrics"]
    ip_rules = var.allowed_ip_ranges
  }

  sas_policy {
    expiration_period = "00.01:00:00"
  }
}

resource "azurerm_storage_container" "zone" {
  #checkov:skip=CKV2_AZURE_21:Blob read/write/delete logs are collected for the whole blob service by the diagnostic setting below.
  for_each = toset(var.zones)

  name                  = each.value
  storage_account_id    = azurerm_storage_account.lake.id
  container_access_type = "private"
}

# Cooler tiers for data nobody touched for a while; soft-deleted data goes with the retention above.
resource "azurerm_storage_management_policy" "tiering" {
  storage_account_id = azurerm_storage_account.lake.id

  rule {
    name    = "tier-to-cool"
    enabled = true

    filters {
      blob_types = ["blockBlob"]
    }

    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than = var.transition_to_cool_days
      }
    }
  }
}

resource "azurerm_private_endpoint" "lake" {
  for_each = toset(["blob", "dfs"])

  name                = "pe-${var.name}-${each.value}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = each.value
    private_connection_resource_id = azurerm_storage_account.lake.id
    subresource_names              = [each.value]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = each.value
    private_dns_zone_ids = [var.private_dns_zone_ids["privatelink.${each.value}.core.windows.net"]]
  }
}

resource "azurerm_monitor_diagnostic_setting" "account" {
  name                       = "mlgen-metrics"
  target_resource_id         = azurerm_storage_account.lake.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_monitor_diagnostic_setting" "blob" {
  name                       = "mlgen-logs"
  target_resource_id         = "${azurerm_storage_account.lake.id}/blobServices/default"
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_management_lock" "protect" {
  count = var.deletion_protection ? 1 : 0

  name       = "${var.name}-do-not-delete"
  scope      = azurerm_storage_account.lake.id
  lock_level = "CanNotDelete"
  notes      = "mlgen deletion_protection: the environment's data."
}
