# A VNet flow log of the environment's VNet. NSG flow logs cannot be created since 2025-06-30 (they retire on
# 2027-09-30), so the flow log targets the VNet itself. A flow log is a child of the region's Network
# Watcher: it lives in the watcher's resource group (NetworkWatcherRG by default), not in the environment's.

# The records need an account of their own. Network Watcher writes with the account's access keys (Azure's
# flow-log docs: rotating the keys stops the flow log) and reaches the account only through the trusted-service
# bypass, while the lake has shared keys and public network access off. A flow log's own retention would also
# rewrite the account's lifecycle policy behind Terraform (hashicorp/terraform-provider-azurerm#6935), which
# a dedicated account with its own policy avoids.
resource "azurerm_storage_account" "flow_logs" {
  #checkov:skip=CKV2_AZURE_40:Network Watcher writes flow records with the account keys; nothing else uses them (no SAS is issued, local users and SFTP are off).
  #checkov:skip=CKV_AZURE_59:Network Watcher reaches the account through the trusted-service bypass, which Azure honours only while public network access is on; the firewall denies every other network.
  #checkov:skip=CKV2_AZURE_33:No private endpoint: Network Watcher writes through the trusted-service bypass, never through the VNet; one would bill hourly for no reader.
  #checkov:skip=CKV_AZURE_33:Queue logging does not apply: the account holds flow-log blobs only (no queues).
  #checkov:skip=CKV_AZURE_206:ZRS keeps the records through a zone failure; geo-replication of network logs is not asked for.
  name                              = var.storage_account_name
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_kind                      = "StorageV2" # Network Watcher needs a standard general-purpose v2 account
  account_tier                      = "Standard"
  account_replication_type          = "ZRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  shared_access_key_enabled         = true
  default_to_oauth_authentication   = true
  allow_nested_items_to_be_public   = false
  public_network_access_enabled     = true
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

  blob_properties {
    delete_retention_policy {
      days = 7
    }

    container_delete_retention_policy {
      days = 7
    }
  }

  network_rules {
    default_action = "Deny"
    # Network Watcher (flow logs, Traffic Analytics) is a trusted Microsoft service.
    bypass = ["AzureServices", "Logging", "Metrics"]
  }

  sas_policy {
    expiration_period = "00.01:00:00"
  }
}

# The records' retention: the flow log's own retention stays off (see above).
resource "azurerm_storage_management_policy" "retention" {
  storage_account_id = azurerm_storage_account.flow_logs.id

  rule {
    name    = "flow-log-retention"
    enabled = true

    filters {
      blob_types = ["blockBlob"]
    }

    actions {
      base_blob {
        delete_after_days_since_modification_greater_than = var.retention_days
      }
    }
  }
}

# As on the lake: an account has only metrics (Transaction, Capacity); the read, write and delete logs are
# the blob service's.
resource "azurerm_monitor_diagnostic_setting" "account" {
  name                       = "mlgen-metrics"
  target_resource_id         = azurerm_storage_account.flow_logs.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_monitor_diagnostic_setting" "blob" {
  name                       = "mlgen-logs"
  target_resource_id         = "${azurerm_storage_account.flow_logs.id}/blobServices/default"
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_network_watcher_flow_log" "vnet" {
  #checkov:skip=CKV_AZURE_12:Retention is the account's lifecycle rule (retention_days, the spec's network.flow_log_retention_days): the flow log's own retention would write a rule into the account's policy that Terraform then overwrites (hashicorp/terraform-provider-azurerm#6935).
  name                 = var.name
  network_watcher_name = var.network_watcher_name
  resource_group_name  = var.network_watcher_resource_group_name
  location             = var.location
  target_resource_id   = var.vnet_id
  storage_account_id   = azurerm_storage_account.flow_logs.id
  enabled              = true
  version              = 2 # version 2 adds bytes and packets per flow
  tags                 = var.tags

  retention_policy {
    enabled = false
    days    = 0
  }

  # Traffic Analytics aggregates the raw flows into the environment's Log Analytics workspace (NTANetAnalytics),
  # where the rest of the environment's logs are.
  traffic_analytics {
    enabled               = true
    workspace_id          = var.log_analytics_workspace_guid
    workspace_region      = var.location
    workspace_resource_id = var.log_analytics_workspace_id
    interval_in_minutes   = var.traffic_analytics_interval_minutes
  }
}
