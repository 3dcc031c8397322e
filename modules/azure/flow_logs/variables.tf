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

variable "tags" {
  description = "Tags on every taggable resource (azurerm has no provider-level default tags)."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["project", "environment", "owner", "cost-center", "managed-by"] : contains(keys(var.tags), key)])
    error_message = "tags must carry project, environment, owner, cost-center and managed-by."
  }
}

variable "location" {
  description = "Azure region of every resource of the module, e.g. westeurope."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name such as westeurope (lower case, no spaces)."
  }
}

variable "resource_group_name" {
  description = "The environment's resource group: the flow-log storage account lives there (the flow log itself in the watcher's)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._()-]{1,90}$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, '.', '_', '-', '(' or ')'."
  }
}

variable "storage_account_name" {
  description = "Name of the account the raw flow records go to (naming.flow_log_storage_account; same region as the VNet)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "retention_days" {
  description = "Days the raw flow records are kept (the spec's network.flow_log_retention_days)."
  type        = number

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3653
    error_message = "retention_days must be 1 to 3653."
  }
}

variable "key_id" {
  description = "Versionless URL of the environment's customer-managed key the account is encrypted with."
  type        = string

  validation {
    condition     = can(regex("^https://[a-zA-Z0-9-]+\\.vault\\.azure\\.net/keys/[^/]+$", var.key_id))
    error_message = "key_id must be a versionless Key Vault key URL (https://<vault>.vault.azure.net/keys/<name>)."
  }
}

variable "encryption_identity_id" {
  description = "User-assigned identity that unwraps the key (Key Vault Crypto Service Encryption User on the vault)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", var.encryption_identity_id))
    error_message = "encryption_identity_id must be a user-assigned identity resource id."
  }
}

variable "log_analytics_workspace_id" {
  description = "Log Analytics workspace (resource id): Traffic Analytics writes there, and the account's blob logs go there; it must be in location."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be the resource id of a Log Analytics workspace."
  }
}

variable "log_analytics_workspace_guid" {
  description = "Workspace (customer) id, a GUID, of the same Log Analytics workspace: Traffic Analytics takes both ids."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.log_analytics_workspace_guid))
    error_message = "log_analytics_workspace_guid must be a GUID (the workspace's workspace_id attribute)."
  }
}

variable "name" {
  description = "Name of the flow log (fl-<vnet name>); unique within the Network Watcher, which serves the whole region."
  type        = string

  validation {
    condition     = can(regex("^fl-vnet-[a-z0-9-]{3,70}$", var.name))
    error_message = "name must be fl-vnet- followed by lower-case letters, digits and hyphens."
  }
}

variable "network_watcher_name" {
  description = "The region's Network Watcher. Azure creates NetworkWatcher_<region> when the first VNet of a region is made (one per region and subscription; a second cannot be created)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,78}[A-Za-z0-9_]$", var.network_watcher_name))
    error_message = "network_watcher_name must be 2-80 letters, digits, '.', '_' or '-' (default NetworkWatcher_<region>)."
  }
}

variable "network_watcher_resource_group_name" {
  description = "Resource group of the Network Watcher (Azure's automatic one is NetworkWatcherRG); the flow log is created there."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._()-]{1,90}$", var.network_watcher_resource_group_name))
    error_message = "network_watcher_resource_group_name must be 1-90 letters, digits, '.', '_', '-', '(' or ')'."
  }
}

variable "vnet_id" {
  description = "Resource id of the VNet whose flows are logged."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+$", var.vnet_id))
    error_message = "vnet_id must be the resource id of a virtual network."
  }
}

variable "traffic_analytics_interval_minutes" {
  description = "How often Traffic Analytics processes the flows: 60 (cheaper per GB) or 10 minutes."
  type        = number
  default     = 60

  validation {
    condition     = contains([10, 60], var.traffic_analytics_interval_minutes)
    error_message = "traffic_analytics_interval_minutes must be 10 or 60."
  }
}
