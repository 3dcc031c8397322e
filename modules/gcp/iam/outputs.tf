output "service_account_emails" {
  description = "Duty => service account e-mail."
  value       = local.emails
}

output "ci_plan_service_account" {
  description = "E-mail of the read-only account pull requests impersonate (null without ci)."
  value       = lookup(local.emails, "ci_plan", null)
}

output "ci_apply_service_account" {
  description = "E-mail of the account the approved apply job impersonates (null without ci)."
  value       = lookup(local.emails, "ci_apply", null)
}

output "workload_identity_provider" {
  description = "Full name of the GitHub provider, for google-github-actions/auth (null without ci)."
  value       = var.ci == null ? null : google_iam_workload_identity_pool_provider.github[0].name
}
