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
