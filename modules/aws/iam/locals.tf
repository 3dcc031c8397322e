# Pure derivations from the inputs (no resources or data sources), kept apart so tests can evaluate them
# with a provider-free `terraform apply`.
locals {
  create_data_scientist = length(var.data_scientist_principals) > 0
  create_ci             = var.ci != null
  create_oidc_provider  = local.create_ci && try(var.ci.oidc_provider_arn == null, false)

  # GitHub OIDC subjects: repo:<org/repo>:pull_request for pull requests, ...:ref:refs/heads/<branch> for
  # pushes and dispatches, ...:environment:<name> for any job that names a deployment environment.
  ci_plan_subjects = local.create_ci ? concat(
    [for branch in var.ci.branches : "repo:${var.ci.repository}:ref:refs/heads/${branch}"],
    var.ci.pull_requests ? ["repo:${var.ci.repository}:pull_request"] : [],
  ) : []
  ci_apply_subjects = local.create_ci ? concat(
    [for name in var.ci.environments : "repo:${var.ci.repository}:environment:${name}"],
    [for branch in var.ci.apply_branches : "repo:${var.ci.repository}:ref:refs/heads/${branch}"],
  ) : []
  create_ci_apply = length(local.ci_apply_subjects) > 0

  # Role chaining (a role assuming this role, e.g. an SSO permission-set role) carries no MFA context and
  # is capped at one-hour sessions, so MFA is required and longer sessions offered only where every
  # principal is an IAM user or an account root (whose users sign in with MFA).
  data_scientist_role_principals = [for arn in var.data_scientist_principals : arn if can(regex(":(role|assumed-role)/", arn))]
  data_scientist_require_mfa     = coalesce(var.data_scientist_require_mfa, length(local.data_scientist_role_principals) == 0)
  data_scientist_session_hours   = coalesce(var.data_scientist_max_session_hours, length(local.data_scientist_role_principals) == 0 ? 4 : 1)
}
