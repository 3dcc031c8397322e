output "id" {
  description = "Resource id of the Key Vault."
  value       = azurerm_key_vault.this.id
}

output "name" {
  description = "Name of the Key Vault."
  value       = azurerm_key_vault.this.name
}

output "key_id" {
  description = "Versionless id of the customer-managed key: services follow its rotation automatically."
  value       = azurerm_key_vault_key.cmk.versionless_id
  # Consumers must not try to use the key before the encryption identity may.
  depends_on = [azurerm_role_assignment.encryption_users]
}

output "key_vault_key_id" {
  description = "Resource id of the key (versionless), for services that take a Key Vault resource id."
  value       = azurerm_key_vault_key.cmk.resource_versionless_id
  depends_on  = [azurerm_role_assignment.encryption_users]
}
