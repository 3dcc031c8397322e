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

# Endpoint alerts. The endpoints are the serving module's; their keys come in as a literal map, so the
# alert set is known at plan time even though the endpoint ids are not.
resource "azurerm_monitor_metric_alert" "p99_latency" {
  for_each = var.endpoints

  name                = "p99-latency-${each.value.name}"
  resource_group_name = var.resource_group_name
  scopes              = [var.endpoint_ids[each.key]]
  description         = "p99 request latency of ${each.value.name} above ${var.p99_latency_ms} ms."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = var.tags

  criteria {
    metric_namespace = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints"
    metric_name      = "RequestLatency_P99"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = var.p99_latency_ms
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

# A share of failed requests is a ratio, which a metric alert cannot compute: a log query over the endpoint's
# traffic log (sent here by the serving module's diagnostic setting) can.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "error_rate" {
  for_each = var.endpoints

  name                 = "error-rate-${each.value.name}"
  resource_group_name  = var.resource_group_name
  location             = var.location
  scopes               = [azurerm_log_analytics_workspace.this.id]
  description          = "More than ${var.error_rate_percent} % of the requests to ${each.value.name} failed (5xx)."
  severity             = 2
  evaluation_frequency = "PT5M"
  window_duration      = "PT15M"
  # The traffic table appears with the first request; validating the query before that would fail the apply.
  skip_query_validation = true
  tags                  = var.tags

  criteria {
    query                   = <<-KQL
      AmlOnlineEndpointTrafficLog
      | where EndpointName == "${each.value.name}"
      | summarize total = count(), failed = countif(toint(ResponseCode) >= 500)
      | extend error_rate = iff(total == 0, 0.0, 100.0 * failed / total)
    KQL
    time_aggregation_method = "Maximum"
    metric_measure_column   = "error_rate"
    operator                = "GreaterThan"
    threshold               = var.error_rate_percent
  }

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}
