# GitHub Actions federation: no key leaves Google. The provider accepts only tokens of the configured
# repository; plan tokens (pull requests and the listed branches) may impersonate the read-only plan
# account, and only jobs in this environment's GitHub deployment environment the apply account.

resource "google_iam_workload_identity_pool" "ci" {
  count = var.ci == null ? 0 : 1

  project                   = var.project_id
  workload_identity_pool_id = var.ci.pool_id
  display_name              = "mlgen CI"
  description               = "GitHub Actions of ${var.ci.repository}."
}

resource "google_iam_workload_identity_pool_provider" "github" {
  count = var.ci == null ? 0 : 1

  #checkov:skip=CKV_GCP_125:Configured: the condition pins the repository and the token subject (pull request, listed branch, this environment) but arrives through var.ci, which checkov cannot resolve; tests/clouds/gcp/test_gcp_adapter.py asserts it.
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.ci[0].workload_identity_pool_id
  workload_identity_pool_provider_id = var.ci.provider_id
  display_name                       = "GitHub Actions"
  attribute_condition                = var.ci.attribute_condition
  attribute_mapping = {
    "google.subject"        = "assertion.sub"
    "attribute.repository"  = "assertion.repository"
    "attribute.plan"        = "(${var.ci.plan_condition}) ? 'allowed' : 'denied'"
    "attribute.environment" = "has(assertion.environment) ? assertion.environment : 'none'"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

locals {
  pool_principals = var.ci == null ? null : "principalSet://iam.googleapis.com/projects/${var.project_number}/locations/global/workloadIdentityPools/${var.ci.pool_id}"
}

resource "google_service_account_iam_member" "ci_plan" {
  count = var.ci == null ? 0 : 1

  service_account_id = google_service_account.duty["ci_plan"].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "${local.pool_principals}/attribute.plan/allowed"

  depends_on = [google_iam_workload_identity_pool_provider.github]
}

resource "google_service_account_iam_member" "ci_apply" {
  count = var.ci == null ? 0 : 1

  service_account_id = google_service_account.duty["ci_apply"].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "${local.pool_principals}/attribute.environment/${var.ci.apply_environment}"

  depends_on = [google_iam_workload_identity_pool_provider.github]
}
