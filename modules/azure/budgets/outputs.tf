output "budget_id" {
  description = "Resource id of the budget."
  value       = azurerm_consumption_budget_resource_group.this.id
}

output "budget_name" {
  description = "Name of the budget."
  value       = azurerm_consumption_budget_resource_group.this.name
}
