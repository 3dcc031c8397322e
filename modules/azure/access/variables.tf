variable "project" {
  description = "Project name; the first half of every resource name (`<project>-<environment>`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "resource_group_name" {
  description = "Resource group the module's resources live in."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._()-]{1,90}$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, '.', '_', '-', '(' or ')'."
  }
}

variable "identity_ids" {
  description = "Identity resource ids by duty (the identities module's ids)."
  type        = map(string)

  validation {
    condition     = contains(keys(var.identity_ids), "ci-plan") && contains(keys(var.identity_ids), "ci-apply")
    error_message = "identity_ids must include ci-plan and ci-apply."
  }
}

variable "principal_ids" {
  description = "Identity principal (object) ids by duty (the identities module's principal_ids)."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["training", "serving", "data-scientist", "ci-plan", "ci-apply", "tracking"], keys(var.principal_ids))) == 0
    error_message = "principal_ids must have every duty: training, serving, data-scientist, ci-plan, ci-apply, tracking."
  }
}

variable "resource_group_id" {
  description = "The environment's resource group: the widest scope any identity gets (CI only)."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+$", var.resource_group_id))
    error_message = "resource_group_id must be a resource group id (never a subscription)."
  }
}

variable "storage_account_id" {
  description = "The data lake account."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.Storage/storageAccounts/[^/]+$", var.storage_account_id))
    error_message = "storage_account_id must be a storage account resource id."
  }
}

variable "artifacts_container_id" {
  description = "The artifacts container (MLflow artifacts, models, the job defaults)."
  type        = string

  validation {
    condition     = can(regex("(?i)/blobServices/default/containers/[^/]+$", var.artifacts_container_id))
    error_message = "artifacts_container_id must be a blob container resource id."
  }
}

variable "state_container_id" {
  description = "The Terraform state container of the environment (from the bootstrap root)."
  type        = string

  validation {
    condition     = can(regex("(?i)/blobServices/default/containers/[^/]+$", var.state_container_id))
    error_message = "state_container_id must be a blob container resource id."
  }
}

variable "state_storage_account_id" {
  description = "The bootstrap's state storage account: CI reads and writes its diagnostic settings (state_diagnostics)."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Storage/storageAccounts/[a-z0-9]{3,24}$", var.state_storage_account_id))
    error_message = "state_storage_account_id must be the resource id of a storage account."
  }
}

variable "state_key_vault_id" {
  description = "The bootstrap's Key Vault (the state key): CI reads and writes its diagnostic settings (state_diagnostics)."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.KeyVault/vaults/[A-Za-z0-9-]{3,24}$", var.state_key_vault_id))
    error_message = "state_key_vault_id must be the resource id of a Key Vault."
  }
}

variable "registry_id" {
  description = "The environment's container registry."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ContainerRegistry/registries/[^/]+$", var.registry_id))
    error_message = "registry_id must be a container registry resource id."
  }
}

variable "workspace_id" {
  description = "The Azure ML workspace."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.MachineLearningServices/workspaces/[^/]+$", var.workspace_id))
    error_message = "workspace_id must be an Azure ML workspace resource id."
  }
}

variable "network_watcher_id" {
  description = "The region's Network Watcher, outside the environment's resource group: the VNet flow log is its child, so CI reads (plan) and manages (apply) it there."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/networkWatchers/[^/]+$", var.network_watcher_id))
    error_message = "network_watcher_id must be a Network Watcher resource id."
  }
}

variable "key_vault_id" {
  description = "The environment's Key Vault (the apply identity manages its keys)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.KeyVault/vaults/[^/]+$", var.key_vault_id))
    error_message = "key_vault_id must be a Key Vault resource id."
  }
}

variable "data_scientist_principal_ids" {
  description = "Entra ID object ids of the people who get the data-scientist roles."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.data_scientist_principal_ids : can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", id))])
    error_message = "data_scientist_principal_ids must be lower-case UUIDs (Entra ID object ids)."
  }
}

variable "ci" {
  description = "GitHub repository (owner/name), branches that may plan and GitHub environments that may apply; null: no federated credentials."
  type = object({
    repository   = string
    branches     = list(string)
    environments = list(string)
  })
  default = null

  validation {
    condition     = var.ci == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.ci.repository))
    error_message = "ci.repository must be owner/name."
  }
}

variable "client_ids" {
  description = "Identity client ids by duty (the identities module's client_ids), for the CI outputs."
  type        = map(string)

  validation {
    condition     = contains(keys(var.client_ids), "ci-plan") && contains(keys(var.client_ids), "ci-apply")
    error_message = "client_ids must include ci-plan and ci-apply."
  }
}
