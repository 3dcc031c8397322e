output "id" {
  description = "Resource id of the data lake account."
  value       = azurerm_storage_account.lake.id
}

output "name" {
  description = "Name of the data lake account."
  value       = azurerm_storage_account.lake.name
}

output "dfs_endpoint" {
  description = "ADLS Gen2 (dfs) endpoint of the account."
  value       = azurerm_storage_account.lake.primary_dfs_endpoint
}

output "container_ids" {
  description = "Container resource ids by zone (scopes for role assignments)."
  value       = { for zone, container in azurerm_storage_container.zone : zone => container.id }
}

output "container_names" {
  description = "Container names by zone."
  value       = { for zone, container in azurerm_storage_container.zone : zone => container.name }
}
