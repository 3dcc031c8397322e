output "ci_plan_client_id" {
  description = "Client id CI plans with (azure/login client-id); null without access.ci."
  value       = var.ci == null ? null : var.client_ids["ci-plan"]
}

output "ci_apply_client_id" {
  description = "Client id the approved apply job uses; null without access.ci."
  value       = var.ci == null ? null : var.client_ids["ci-apply"]
}
