# A VNet flow log of the environment's VNet. NSG flow logs cannot be created since 2025-06-30 (they retire on
# 2027-09-30), so the flow log targets the VNet itself. A flow log is a child of the region's Network
# Watcher: it lives in the watcher's resource group (NetworkWatcherRG by default), not in the environment's.
resource "azurerm_network_watcher_flow_log" "vnet" {
  #checkov:skip=CKV_AZURE_12:Retention is the lake's own lifecycle rule (storage module: flow_log_retention_days on insights-logs-flowlogflowevent/): the flow log's retention would write a lifecycle rule into the lake that the lake's management policy then overwrites (hashicorp/terraform-provider-azurerm#6935).
  name                 = var.name
  network_watcher_name = var.network_watcher_name
  resource_group_name  = var.network_watcher_resource_group_name
  location             = var.location
  target_resource_id   = var.vnet_id
  storage_account_id   = var.storage_account_id
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
