variable "storage_account_id" {
  description = "Resource id of the bootstrap's state storage account (known from its name before it exists)."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Storage/storageAccounts/[a-z0-9]{3,24}$", var.storage_account_id))
    error_message = "storage_account_id must be the resource id of a storage account."
  }
}

variable "key_vault_id" {
  description = "Resource id of the bootstrap's Key Vault, which holds the state account's customer-managed key."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.KeyVault/vaults/[A-Za-z0-9-]{3,24}$", var.key_vault_id))
    error_message = "key_vault_id must be the resource id of a Key Vault."
  }
}

variable "log_analytics_workspace_id" {
  description = "The environment's Log Analytics workspace, which receives the state resources' logs and metrics."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be the resource id of a Log Analytics workspace."
  }
}
