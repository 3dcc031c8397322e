# Diagnostic settings of the state bootstrap's resources, made by the environment root: the bootstrap is
# applied before the environment's Log Analytics workspace exists, so it cannot point them anywhere. A setting
# is a child of its target, so destroying the environment removes the settings and leaves the state (and the
# bootstrap's own Terraform state, which never lists them) as it was.

# An account has only metrics; the read, write and delete logs of the state blobs are the blob service's.
resource "azurerm_monitor_diagnostic_setting" "account" {
  name                       = "mlgen-metrics"
  target_resource_id         = var.storage_account_id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_monitor_diagnostic_setting" "blob" {
  name                       = "mlgen-logs"
  target_resource_id         = "${var.storage_account_id}/blobServices/default"
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs" # StorageRead, StorageWrite, StorageDelete: who read or changed the state
  }

  enabled_metric {
    category = "Transaction"
  }
}

resource "azurerm_monitor_diagnostic_setting" "vault" {
  name                       = "mlgen-logs"
  target_resource_id         = var.key_vault_id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "audit" # AuditEvent: every use of the state key
  }

  enabled_metric {
    category = "AllMetrics"
  }
}
