# Managed online endpoints have no azurerm resource, so each is an ARM template deployment of
# Microsoft.MachineLearningServices/workspaces/onlineEndpoints at a pinned API version (endpoint.template.json).
# Destroying the deployment deletes the endpoint. Deployments and traffic are `mlgen release`'s (REST API).
resource "azurerm_resource_group_template_deployment" "endpoint" {
  for_each = var.endpoints

  name                = "mlgen-endpoint-${each.key}"
  resource_group_name = var.resource_group_name
  deployment_mode     = "Incremental"
  template_content    = file("${path.module}/endpoint.template.json")
  parameters_content = jsonencode({
    workspaceName       = { value = var.workspace_name }
    endpointName        = { value = each.value.name }
    location            = { value = var.location }
    identityId          = { value = var.serving_identity_id }
    authMode            = { value = each.value.auth_mode }
    publicNetworkAccess = { value = each.value.public_network_access ? "Enabled" : "Disabled" }
    tags                = { value = var.tags }
  })
  tags = var.tags
}

locals {
  endpoint_ids = { for key, deployment in azurerm_resource_group_template_deployment.endpoint : key => jsondecode(deployment.output_content).id.value }
}

resource "azurerm_monitor_diagnostic_setting" "endpoint" {
  for_each = var.endpoints

  name                       = "mlgen-logs"
  target_resource_id         = local.endpoint_ids[each.key]
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs" # traffic (the error-rate alert reads it), console and event logs
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

# Endpoint alerts live with the endpoints: monitoring must exist before every other module (they all send
# it their diagnostics), so it cannot wait for the endpoints.
resource "azurerm_monitor_metric_alert" "p99_latency" {
  for_each = var.endpoints

  name                = "p99-latency-${each.value.name}"
  resource_group_name = var.resource_group_name
  scopes              = [local.endpoint_ids[each.key]]
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
    action_group_id = var.action_group_id
  }
}

# A share of failed requests is a ratio, which a metric alert cannot compute: a log query over the endpoint's
# traffic log (sent here by the serving module's diagnostic setting) can.
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "error_rate" {
  for_each = var.endpoints

  name                 = "error-rate-${each.value.name}"
  resource_group_name  = var.resource_group_name
  location             = var.location
  scopes               = [var.log_analytics_workspace_id]
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
    action_groups = [var.action_group_id]
  }
}
