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

output "ci_plan_client_id" {
  description = "Client id CI plans with (azure/login client-id); null without access.ci."
  value       = var.ci == null ? null : azurerm_user_assigned_identity.duty["ci-plan"].client_id
}

output "ci_apply_client_id" {
  description = "Client id the approved apply job uses; null without access.ci."
  value       = var.ci == null ? null : azurerm_user_assigned_identity.duty["ci-apply"].client_id
}
