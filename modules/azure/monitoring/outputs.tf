output "log_analytics_workspace_id" {
  description = "Resource id of the Log Analytics workspace every diagnostic setting sends to."
  value       = azurerm_log_analytics_workspace.this.id
}

output "application_insights_id" {
  description = "Resource id of the (workspace-based) Application Insights the Azure ML workspace uses."
  value       = azurerm_application_insights.this.id
}

output "action_group_id" {
  description = "Resource id of the action group alerts and budgets notify."
  value       = azurerm_monitor_action_group.this.id
}

output "log_analytics_workspace_guid" {
  description = "Workspace (customer) id, a GUID, of the Log Analytics workspace: Traffic Analytics needs it beside the resource id."
  value       = azurerm_log_analytics_workspace.this.workspace_id
}
