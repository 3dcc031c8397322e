output "storage_account_name" {
  description = "Storage account that holds the environment's Terraform state."
  value       = azurerm_storage_account.state.name
}

output "storage_account_id" {
  description = "Resource id of the state storage account."
  value       = azurerm_storage_account.state.id
}

output "container_name" {
  description = "Container of the state blobs."
  value       = azurerm_storage_container.state.name
}

output "resource_group_name" {
  description = "Resource group of the state account."
  value       = azurerm_resource_group.state.name
}

output "backend_config" {
  description = "Settings of the environment root's azurerm backend (Entra ID auth, no account keys)."
  value = {
    resource_group_name  = azurerm_resource_group.state.name
    storage_account_name = azurerm_storage_account.state.name
    container_name       = azurerm_storage_container.state.name
    use_azuread_auth     = true
  }
}

output "key_vault_id" {
  description = "Vault with the state's customer-managed key."
  value       = azurerm_key_vault.state.id
}
