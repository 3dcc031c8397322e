resource "azurerm_log_analytics_workspace" "this" {
  name                         = "log-${var.name_suffix}"
  location                     = var.location
  resource_group_name          = var.resource_group_name
  sku                          = "PerGB2018"
  retention_in_days            = var.log_retention_days
  local_authentication_enabled = false
  tags                         = var.tags
}

resource "azurerm_application_insights" "this" {
  name                          = "appi-${var.name_suffix}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  workspace_id                  = azurerm_log_analytics_workspace.this.id
  application_type              = "other"
  local_authentication_disabled = true
  tags                          = var.tags
}

resource "azurerm_monitor_action_group" "this" {
  name                = "ag-${var.name_suffix}"
  resource_group_name = var.resource_group_name
  short_name          = substr(replace(var.name_suffix, "-", ""), 0, 12)
  tags                = var.tags

  dynamic "email_receiver" {
    for_each = var.emails
    content {
      name                    = "email-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

resource "azurerm_monitor_diagnostic_setting" "log_analytics" {
  name                       = "mlgen-audit"
  target_resource_id         = azurerm_log_analytics_workspace.this.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  enabled_log {
    category_group = "audit"
  }
}

# Metrics only: the Application Insights resource is workspace-based, so its telemetry (AppRequests,
# AppDependencies, AppExceptions, ... - every log category microsoft.insights/components has) is already
# stored in this workspace; a setting exporting those categories to the same workspace would ingest, and bill,
# each record twice.
resource "azurerm_monitor_diagnostic_setting" "application_insights" {
  name                       = "mlgen-metrics"
  target_resource_id         = azurerm_application_insights.this.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  enabled_metric {
    category = "AllMetrics"
  }
}
