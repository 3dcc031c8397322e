output "ids" {
  description = "Identity resource ids by duty."
  value       = { for duty, identity in azurerm_user_assigned_identity.duty : duty => identity.id }
}

output "client_ids" {
  description = "Identity client ids by duty."
  value       = { for duty, identity in azurerm_user_assigned_identity.duty : duty => identity.client_id }
}

output "principal_ids" {
  description = "Identity principal (object) ids by duty."
  value       = { for duty, identity in azurerm_user_assigned_identity.duty : duty => identity.principal_id }
}
