# The roles of the environment's identities and people, each scoped to one resource of this environment
# (nothing on the subscription; the region's Network Watcher and the state bootstrap's account and vault are
# the scopes outside the resource group),
# and the federated credentials CI logs in with.
locals {
  github_issuer = "https://token.actions.githubusercontent.com"
  # Federated subjects are exact matches (no wildcards); the adapter refuses branch globs in the spec, and
  # the filter keeps a direct caller of this module from creating a credential that can never match.
  plan_subjects = var.ci == null ? {} : merge(
    { "pull-request" = "repo:${var.ci.repository}:pull_request" },
    { for branch in var.ci.branches : "branch-${replace(branch, "/", "-")}" => "repo:${var.ci.repository}:ref:refs/heads/${branch}" if !strcontains(branch, "*") },
  )
  apply_subjects = var.ci == null ? {} : { for name in var.ci.environments : "environment-${name}" => "repo:${var.ci.repository}:environment:${name}" }

  # (identity duty, role, scope) triples: each identity gets only what its duty needs.
  grants = merge(
    {
      "training-lake"     = { duty = "training", role = "Storage Blob Data Contributor", scope = var.storage_account_id }
      "training-acr"      = { duty = "training", role = "AcrPull", scope = var.registry_id }
      "training-ws"       = { duty = "training", role = "AzureML Data Scientist", scope = var.workspace_id }
      "serving-lake"      = { duty = "serving", role = "Storage Blob Data Reader", scope = var.storage_account_id }
      "serving-acr"       = { duty = "serving", role = "AcrPull", scope = var.registry_id }
      "tracking-lake"     = { duty = "tracking", role = "Storage Blob Data Contributor", scope = var.artifacts_container_id }
      "scientist-lake"    = { duty = "data-scientist", role = "Storage Blob Data Contributor", scope = var.storage_account_id }
      "scientist-ws"      = { duty = "data-scientist", role = "AzureML Data Scientist", scope = var.workspace_id }
      "ci-plan-rg"        = { duty = "ci-plan", role = "Reader", scope = var.resource_group_id }
      "ci-plan-state"     = { duty = "ci-plan", role = "Storage Blob Data Contributor", scope = var.state_container_id }
      "ci-plan-defaults"  = { duty = "ci-plan", role = "Storage Blob Data Reader", scope = var.artifacts_container_id }
      "ci-plan-keys"      = { duty = "ci-plan", role = "Key Vault Reader", scope = var.key_vault_id }
      "ci-apply-rg"       = { duty = "ci-apply", role = "Contributor", scope = var.resource_group_id }
      "ci-apply-rbac"     = { duty = "ci-apply", role = "Role Based Access Control Administrator", scope = var.resource_group_id }
      "ci-apply-state"    = { duty = "ci-apply", role = "Storage Blob Data Contributor", scope = var.state_container_id }
      "ci-apply-defaults" = { duty = "ci-apply", role = "Storage Blob Data Contributor", scope = var.artifacts_container_id }
      "ci-apply-keys"     = { duty = "ci-apply", role = "Key Vault Crypto Officer", scope = var.key_vault_id }
      "ci-apply-push"     = { duty = "ci-apply", role = "AcrPush", scope = var.registry_id }
      # The state account's and the state vault's diagnostic settings (state_diagnostics module) live on
      # resources of the bootstrap's resource group: read them on refresh, write them on apply, nothing else.
      "ci-plan-state-diagnostics"  = { duty = "ci-plan", role = "Monitoring Reader", scope = var.state_storage_account_id }
      "ci-plan-vault-diagnostics"  = { duty = "ci-plan", role = "Monitoring Reader", scope = var.state_key_vault_id }
      "ci-apply-state-diagnostics" = { duty = "ci-apply", role = "Monitoring Contributor", scope = var.state_storage_account_id }
      "ci-apply-vault-diagnostics" = { duty = "ci-apply", role = "Monitoring Contributor", scope = var.state_key_vault_id }
      # The flow log lives under the Network Watcher (another resource group): read and manage it there only.
      "ci-plan-watcher"  = { duty = "ci-plan", role = "Reader", scope = var.network_watcher_id }
      "ci-apply-watcher" = { duty = "ci-apply", role = "Network Contributor", scope = var.network_watcher_id }
    },
  )
  # Data scientists are people (Entra ID object ids) as well as the data-scientist identity.
  people_grants = merge([
    for index, principal in var.data_scientist_principal_ids : {
      "person-${index}-lake" = { principal = principal, role = "Storage Blob Data Contributor", scope = var.storage_account_id }
      "person-${index}-ws"   = { principal = principal, role = "AzureML Data Scientist", scope = var.workspace_id }
    }
  ]...)
}

resource "azurerm_role_assignment" "duty" {
  for_each = local.grants

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = var.principal_ids[each.value.duty]
  principal_type       = "ServicePrincipal"
  description          = "mlgen: ${each.value.duty} (${each.key})."
}

resource "azurerm_role_assignment" "people" {
  for_each = local.people_grants

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = each.value.principal
  description          = "mlgen: data scientist (${each.key})."
}

# CI: pull requests and the listed branches plan as ci-plan (read-only); only the GitHub environment named
# after this environment (required reviewers approve each run) applies as ci-apply.
resource "azurerm_federated_identity_credential" "plan" {
  for_each = local.plan_subjects

  name                = "github-${each.key}"
  resource_group_name = var.resource_group_name
  parent_id           = var.identity_ids["ci-plan"]
  audience            = ["api://AzureADTokenExchange"]
  issuer              = local.github_issuer
  subject             = each.value
}

resource "azurerm_federated_identity_credential" "apply" {
  for_each = local.apply_subjects

  name                = "github-${each.key}"
  resource_group_name = var.resource_group_name
  parent_id           = var.identity_ids["ci-apply"]
  audience            = ["api://AzureADTokenExchange"]
  issuer              = local.github_issuer
  subject             = each.value
}
